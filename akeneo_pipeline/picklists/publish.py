"""Publish committed changes: feed files and the picklist_changes Parquet dataset.

Both are written after the warehouse commit, from the committed rows, so they
never show a change the warehouse does not have. Each looks at what is
already on disk and writes every committed change beyond it, so a run that
died between commit and publish is repaired by the next one. Rows are grouped
into one file per run (consecutive rows of the same run_id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from akeneo_pipeline.picklists import feed
from akeneo_pipeline.picklists.tables import PICKLIST_CHANGES, to_arrow
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.parquet import ParquetDataset, write_file

PARQUET_STREAM = "picklist_changes"
_PART = re.compile(r"^part-(\d{20})-(\d{20})\.parquet$")


def committed_changes_after(conn: Connection, table: str, quote: sql.Quote, after: int) -> list[dict[str, Any]]:
    """picklist_changes rows with change_id > after, in order, labels as dicts."""
    statement = sql.select_as_text(quote, table, PICKLIST_CHANGES.schema) + " WHERE change_id > :after ORDER BY change_id"
    rows = [dict(row) for row in conn.execute(text(statement), {"after": after}).mappings()]
    for row in rows:
        row["labels"] = None if row["labels"] is None else json.loads(row["labels"])
    return rows


def parquet_high_water(parquet_dir: Path) -> int:
    """Highest change_id already in the Parquet dataset (0 when empty)."""
    root = Path(parquet_dir) / PARQUET_STREAM
    ids = [int(m.group(2)) for p in root.glob("run=*/part-*.parquet") if (m := _PART.match(p.name))]
    return max(ids, default=0)


def publish(rows: Sequence[dict[str, Any]], data_dir: Path, parquet_dir: Path) -> tuple[list[Path], list[Path]]:
    """Write rows not yet on disk as feed files and Parquet parts; returns (feed files, parquet files)."""
    feed_after, parquet_after = feed.last_written_change_id(data_dir), parquet_high_water(parquet_dir)
    feed_files, parquet_files = [], []
    for _, group in groupby(rows, key=lambda row: row["run_id"]):
        batch = list(group)
        to_feed = [row for row in batch if row["change_id"] > feed_after]
        if to_feed:
            feed_files.append(feed.write_feed_file(data_dir, to_feed))
        to_parquet = [row for row in batch if row["change_id"] > parquet_after]
        if to_parquet:
            parquet_files.append(_write_part(parquet_dir, to_parquet))
    return feed_files, parquet_files


def _write_part(parquet_dir: Path, rows: list[dict[str, Any]]) -> Path:
    """One part per run, named by its change_id span so `parquet_high_water` reads the names."""
    directory = ParquetDataset(Path(parquet_dir), PARQUET_STREAM).run_dir(rows[0]["run_id"])
    name = f"part-{rows[0]['change_id']:020d}-{rows[-1]['change_id']:020d}.parquet"
    return write_file(directory / name, to_arrow(PICKLIST_CHANGES, rows))
