"""Publish committed changes: feed files and the picklist_changes Parquet dataset.

Both are written after the warehouse commit, from the committed rows, so they
never show a change the warehouse does not have. Each looks at what is
already on disk and writes every committed change beyond it, so a run that
died between commit and publish is repaired by the next one. Rows are grouped
into one file per run (consecutive rows of the same run_id).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from akeneo_pipeline.picklists import feed
from akeneo_pipeline.picklists.value_list_records import value_lists_high_water, write_value_list_file
from akeneo_pipeline.storage import Store


def published_high_water(store: Store) -> int:
    """The highest change_id the feed, its value-list records and the Parquet dataset all hold."""
    return min(feed.last_written_change_id(store.data_dir), store.change_parts_high_water(),
               value_lists_high_water(store.data_dir))


def publish(store: Store, rows: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]],
            epoch: str) -> tuple[list[Path], list[Path]]:
    """Write rows not yet on disk as feed files and Parquet parts, after the value-list records of
    the attributes they touch (one file for all of `rows`); returns (feed files, parquet files)."""
    if rows and records and rows[-1]["change_id"] > value_lists_high_water(store.data_dir):
        write_value_list_file(store.data_dir, records, rows[0]["change_id"], rows[-1]["change_id"])
    feed_after, parquet_after = feed.last_written_change_id(store.data_dir), store.change_parts_high_water()
    feed_files, parquet_files = [], []
    for _, group in groupby(rows, key=lambda row: row["run_id"]):
        batch = list(group)
        to_feed = [row for row in batch if row["change_id"] > feed_after]
        if to_feed:
            feed_files.append(feed.write_feed_file(store.data_dir, to_feed, epoch=epoch))
        to_parquet = [row for row in batch if row["change_id"] > parquet_after]
        if to_parquet:
            parquet_files.append(store.write_change_part(to_parquet))
    return feed_files, parquet_files
