"""A catalog stream's full read replaces its table: Parquet aside first, then one warehouse transaction.

Pages are grouped into batches of `batch_rows` items (`in_batches`), so memory is bounded
whatever the stream's size. The run's Parquet directory is built aside and swapped in, the
warehouse then loads from those files, so both stores hold the same rows; a reader sees the
old table or the new one, never half.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.errors import InvalidItemError
from akeneo_pipeline.storage.flatten import flatten_catalog, item_key
from akeneo_pipeline.storage.parquet import ParquetDataset, write_part
from akeneo_pipeline.storage.results import LoadResult
from akeneo_pipeline.storage.schemas import STRUCTURE_TABLES
from akeneo_pipeline.storage.warehouse import Warehouse


def in_batches(stream: str, pages: Iterable[list[dict]], batch_rows: int) -> Iterator[list[dict]]:
    """Group pages into batches of at least `batch_rows` items.

    A batch is handed over without keeping a reference here, so the consumer can
    free it (its parsed items are most of the memory) before asking for the next.
    """
    batch: list[dict] = []
    for number, page in enumerate(pages):
        if not isinstance(page, list):
            raise InvalidItemError(stream, f"page {number}", "*",
                                   f"a page must be a list of items, got {type(page).__name__}")
        batch.extend(page)
        del page
        if len(batch) >= batch_rows:
            handed = [batch]
            batch = []
            yield handed.pop()
    if batch:
        handed = [batch]
        del batch
        yield handed.pop()


def load_catalog(warehouse: Warehouse, parquet_dir: Path, batch_rows: int, stream: str, pages: Iterable[list[dict]],
                 run_id: str) -> LoadResult:
    """Replace a catalog table with a full read of its stream, atomically.

    The first copy of a repeated key wins (offset paging over a changing
    catalog can list an item twice). An exception from `pages` leaves the
    table and the Parquet run directory as they were.
    """
    spec, started = STRUCTURE_TABLES[stream], time.monotonic()
    result = LoadResult(stream)
    dataset = ParquetDataset(parquet_dir, stream)
    staging = dataset.begin_snapshot(run_id)
    seen: set[tuple[str, ...]] = set()
    try:
        seq = 0
        for batch in in_batches(stream, pages, batch_rows):
            fresh = []
            for index, item in enumerate(batch):
                key = item_key(stream, spec, item, index)
                if key not in seen:
                    seen.add(key)
                    fresh.append(item)
            table = flatten_catalog(stream, spec, fresh, datetime.now(UTC), run_id)
            result.describe(table)
            seq += 1
            write_part(staging, table, seq)
        if seq == 0:  # an empty stream still gets a file: readers find its schema
            write_part(staging, spec.schema.empty_table(), 1)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = dataset.commit_snapshot(run_id, staging)
    result.add_files(*files)
    target = warehouse.table(spec.name)
    with warehouse.begin(f"replace {spec.name}") as conn:
        staged = warehouse.stage(conn, spec.schema, files)
        conn.exec_driver_sql(f"DELETE FROM {target}")
        conn.exec_driver_sql(sql.insert_select(warehouse.quote, target, staged, spec.columns))
    result.rows = len(seen)
    result.seconds = time.monotonic() - started
    return result
