"""Reference entity records and assets in: one run's items upserted by (parent, code) with their values, the
cursor moved in the same transaction.

Records and assets are few next to products (a PIM holds at most 100 reference entities; the sandbox's
and most catalogs' records and assets number in the thousands), so a run's pages go to Parquet part by part
and the warehouse takes them in one transaction: the rows of the items read replace their stored rows (and
their values), and the cursor moves with them, so it can never get ahead of its data. A full read (no
cursor, or a deletion scan) replaces both tables whole: records and assets removed from Akeneo go with it
(an incremental read cannot see a removal: Akeneo lists no deleted records).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.catalog_load import in_batches
from akeneo_pipeline.storage.cursors import move_cursor, read_cursor
from akeneo_pipeline.storage.flatten import (
    flatten_catalog,
    flatten_record_values,
    item_key,
    newest_per_compound_key,
)
from akeneo_pipeline.storage.parquet import ParquetDataset
from akeneo_pipeline.storage.results import LoadResult
from akeneo_pipeline.storage.schemas import RECORD_TABLES
from akeneo_pipeline.storage.warehouse import Warehouse
from akeneo_pipeline.streams import RecordStream


def load_records(wh: Warehouse, parquet_dir: Path, batch_rows: int, kind: RecordStream, pages: Iterable[list[dict]],
                 run_id: str, next_cursor: str | None, full_read: bool) -> LoadResult:
    """See `Store.load_records`."""
    tables, name, started = RECORD_TABLES[kind.name], kind.name, time.monotonic()
    with wh.begin(f"read cursor of {name}") as conn:
        result = LoadResult(name, cursor_before=read_cursor(wh, conn, name))
    entities = ParquetDataset(parquet_dir, tables.entity.name)
    values = ParquetDataset(parquet_dir, tables.values.name)
    entity_files: list[Path] = []
    value_files: list[Path] = []
    seen: set[tuple[str, ...]] = set()
    for batch in in_batches(name, pages, batch_rows):
        # An item listed twice in one run keeps its first copy (a later edit is read again next run: the cursor
        # is the run's start, minus the overlap).
        items = [item for index, item in enumerate(newest_per_compound_key(name, tables.entity, batch))
                 if item_key(name, tables.entity, item, index) not in seen]
        if not items:
            continue
        rows = flatten_catalog(name, tables.entity, items, datetime.now(UTC), run_id)
        value_rows = flatten_record_values(tables, items)
        result.describe(rows)
        entity_files.append(entities.append(run_id, rows))
        value_files.append(values.append(run_id, value_rows))
        result.add_files(entity_files[-1], value_files[-1])
        seen.update(zip(*(rows.column(c).to_pylist() for c in tables.entity.key), strict=True))
        result.value_rows += value_rows.num_rows
    q = wh.quote
    target, values_target = wh.table(tables.entity.name), wh.table(tables.values.name)
    with wh.begin(f"load {name}") as conn:
        if full_read:
            conn.exec_driver_sql(f"DELETE FROM {values_target}")
            conn.exec_driver_sql(f"DELETE FROM {target}")
        if entity_files:
            staged = wh.stage(conn, tables.entity.schema, entity_files)
            staged_values = wh.stage(conn, tables.values.schema, value_files)
            if not full_read:
                match = " AND ".join(f"s.{q(k)} = {target}.{q(k)}" for k in tables.entity.key)
                conn.exec_driver_sql(f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM {staged} s WHERE {match})")
                owner = " AND ".join(f"s.{q(k)} = {values_target}.{q(o)}"
                                     for k, o in zip(tables.entity.key, tables.owner_columns, strict=True))
                conn.exec_driver_sql(f"DELETE FROM {values_target} WHERE EXISTS "
                                     f"(SELECT 1 FROM {staged} s WHERE {owner})")
            conn.exec_driver_sql(sql.insert_select(q, target, staged, tables.entity.columns))
            conn.exec_driver_sql(sql.insert_select(q, values_target, staged_values, tables.values.columns))
        if next_cursor is not None:
            move_cursor(wh, conn, name, next_cursor, run_id)
    result.rows = len(seen)
    result.cursor_after = next_cursor if next_cursor is not None else result.cursor_before
    result.seconds = time.monotonic() - started
    return result

