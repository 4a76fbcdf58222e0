"""The storage facade: Akeneo pages in, Parquet and warehouse tables out, cursors moved last.

Pages are grouped into batches of `batch_rows` items, so memory is bounded
whatever the catalog size. Each batch is written to Parquet first (atomically)
and the warehouse loads from those files, so both stores hold the same rows.
Incremental batches commit one by one and the cursor moves only after the
last one has committed: a run killed anywhere restarts from the old cursor and
the keyed, newest-wins upserts make the replay harmless.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import deletions
from akeneo_pipeline.storage import product_keys as pk
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.collector import collect_young, cyclic_gc_paused
from akeneo_pipeline.storage.errors import InvalidItemError
from akeneo_pipeline.storage.flatten import flatten_catalog, flatten_entities, item_key, newest_per_key
from akeneo_pipeline.storage.parquet import ParquetDataset, check_run_id, check_writable, write_part
from akeneo_pipeline.storage.results import DeletionResult, LoadResult
from akeneo_pipeline.storage.schemas import ALL_TABLES, CATALOG_TABLES, ENTITY_STREAMS, SYNC_STATE, EntityStream
from akeneo_pipeline.storage.state import move_cursor, read_cursor
from akeneo_pipeline.storage.warehouse import Warehouse

# Items per Parquet part and warehouse transaction. Parsed items are the largest thing a load
# holds: a batch of 5,000 products took about 200 MiB with its Arrow tables (bench/), half
# of 10,000's, while transactions stay large enough that their fixed cost does not show.
BATCH_ROWS = 5_000


def in_batches(stream: str, pages: Iterable[list[dict]], batch_rows: int) -> Iterator[list[dict]]:
    """Group pages into batches of at least `batch_rows` items.

    A batch is handed over without keeping a reference here, so the consumer can
    free it (its parsed items are most of the memory) before asking for the next.
    """
    batch: list[dict] = []
    for number, page in enumerate(pages):
        if not isinstance(page, list):
            raise InvalidItemError(stream, f"page {number}", "*", f"a page must be a list of items, got {type(page).__name__}")
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


class Store:
    """Parquet under `<data_dir>/parquet/<stream>/run=<run_id>/` and tables in the warehouse."""

    def __init__(self, data_dir: Path, warehouse_url: str, schema: str = "akeneo", batch_rows: int = BATCH_ROWS) -> None:
        self.data_dir = Path(data_dir)
        self.parquet_dir = self.data_dir / "parquet"
        self.warehouse = Warehouse(warehouse_url, schema)
        self.batch_rows = batch_rows
        self._tables_ready = False

    @classmethod
    def from_settings(cls, settings: StorageSettings, batch_rows: int = BATCH_ROWS) -> "Store":
        assert settings.warehouse_url is not None  # the settings fill in the DuckDB default
        return cls(settings.data_dir, settings.warehouse_url.get_secret_value(), settings.warehouse_schema, batch_rows)

    def __repr__(self) -> str:
        return f"Store({str(self.data_dir)!r}, {self.warehouse!r})"

    def ensure_tables(self) -> None:
        """Create the schema and every contract table that is missing (one transaction, once per Store)."""
        if self._tables_ready:
            return
        with self.warehouse.begin("create contract tables") as conn:
            for spec in ALL_TABLES.values():
                self.warehouse.create_in(conn, spec.name, spec.schema, spec.key)
            if self.warehouse.dialect == "postgresql":
                # Value rows are replaced per owner on every update: without an index each
                # batch would scan the whole values table. (DuckDB scans columns fast enough.)
                for es in ENTITY_STREAMS.values():
                    index = self.warehouse.quote(f"{es.values.name}_{es.owner_column}_idx")
                    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {index} ON "
                                         f"{self.warehouse.table(es.values.name)} ({self.warehouse.quote(es.owner_column)})")
        self._tables_ready = True

    def _prepare(self, run_id: str) -> None:
        # Fail before writing anything: bad run id, unwritable directory, unreachable warehouse.
        check_run_id(run_id)
        check_writable(self.parquet_dir)
        self.ensure_tables()

    # -- cursors -------------------------------------------------------------
    def get_cursor(self, stream: str) -> str | None:
        with self.warehouse.begin(f"read cursor of {stream}") as conn:
            self.warehouse.create_in(conn, SYNC_STATE.name, SYNC_STATE.schema, SYNC_STATE.key)
            return read_cursor(self.warehouse, conn, stream)

    def set_cursor(self, stream: str, cursor: str | None, run_id: str | None = None) -> None:
        with self.warehouse.begin(f"move cursor of {stream}") as conn:
            self.warehouse.create_in(conn, SYNC_STATE.name, SYNC_STATE.schema, SYNC_STATE.key)
            move_cursor(self.warehouse, conn, stream, cursor, run_id)

    # -- snapshots -----------------------------------------------------------
    def load_snapshot(self, stream: str, pages: Iterable[list[dict]], run_id: str,
                      next_cursor: str | None = None) -> LoadResult:
        """Replace a catalog table with a full read of its stream, atomically.

        The first copy of a repeated key wins (offset paging over a changing
        catalog can list an item twice). An exception from `pages` leaves the
        table, the Parquet run directory and the cursor as they were.
        """
        if stream not in CATALOG_TABLES:
            raise ValueError(f"{stream!r} is not a catalog stream; expected one of {sorted(CATALOG_TABLES)}")
        spec, started = CATALOG_TABLES[stream], time.monotonic()
        self._prepare(run_id)
        result = LoadResult(stream, cursor_before=self.get_cursor(stream))
        dataset = ParquetDataset(self.parquet_dir, stream)
        staging = dataset.begin_snapshot(run_id)
        seen: set[tuple[str, ...]] = set()
        try:
            seq = 0
            for batch in in_batches(stream, pages, self.batch_rows):
                fresh = []
                for index, item in enumerate(batch):
                    key = item_key(stream, spec, item, index)
                    if key not in seen:
                        seen.add(key)
                        fresh.append(item)
                table = flatten_catalog(stream, spec, fresh, datetime.now(timezone.utc), run_id)
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
        wh, target = self.warehouse, self.warehouse.table(spec.name)
        with wh.begin(f"replace {spec.name}") as conn:
            staged = wh.stage(conn, spec.schema, files)
            conn.exec_driver_sql(f"DELETE FROM {target}")
            conn.exec_driver_sql(sql.insert_select(wh.quote, target, staged, spec.columns))
            if next_cursor is not None:
                move_cursor(wh, conn, stream, next_cursor, run_id)
        result.rows = len(seen)
        result.cursor_after = next_cursor if next_cursor is not None else result.cursor_before
        result.seconds = time.monotonic() - started
        return result

    # -- incremental -----------------------------------------------------------
    def product_key_mode(self) -> str | None:
        """What the products table is keyed by: "uuid", "identifier" (loaded from Akeneo 6),
        or None while it is empty (see product_keys.py)."""
        self.ensure_tables()
        with self.warehouse.begin("read the products key") as conn:
            return pk.stored_mode(self.warehouse, conn)

    def needs_rekey(self, product_key: str) -> bool:
        """Whether loading products keyed by `product_key` first re-keys the table (6 -> 7
        upgrade), which takes a full read (`full_read=True`)."""
        return self.product_key_mode() == pk.BY_IDENTIFIER and pk.check_product_key(product_key) == pk.BY_UUID

    def load_incremental(self, stream: str, pages: Iterable[list[dict]], run_id: str, next_cursor: str | None,
                         identifier_attribute: str | None = None, product_key: str = pk.BY_UUID,
                         full_read: bool = False) -> LoadResult:
        """Upsert products or product models (newest `updated` wins), replacing each winner's
        value rows whole, then move the cursor to `next_cursor` once all batches committed
        (None leaves the cursor where it is).

        `product_key` is what the server keys products by ("uuid", or "identifier" on Akeneo 6);
        when the table was loaded by identifier and the server now serves uuids, the load
        re-keys it, which needs `pages` to be a read of every product (`full_read=True`).
        """
        if stream not in ENTITY_STREAMS:
            raise ValueError(f"{stream!r} is not an incremental stream; expected one of {sorted(ENTITY_STREAMS)}")
        es, started = ENTITY_STREAMS[stream], time.monotonic()
        self._prepare(run_id)
        mode = pk.check_product_key(product_key) if stream == "products" else pk.BY_UUID
        rekey = False
        if stream == "products":
            stored = self.product_key_mode()
            if stored == pk.BY_UUID and mode == pk.BY_IDENTIFIER:
                raise pk.DowngradeRefused()
            rekey = stored == pk.BY_IDENTIFIER and mode == pk.BY_UUID
            if rekey and not full_read:
                raise ValueError("re-keying products loaded from Akeneo 6 needs a read of every product: "
                                 "pass full_read=True with pages read from the beginning")
            if stored is None and mode == pk.BY_IDENTIFIER:
                self._record_product_key(mode, run_id)  # before the first row, so a crash keeps the mode
        result = LoadResult(stream, cursor_before=self.get_cursor(stream))
        entities = ParquetDataset(self.parquet_dir, es.entity.name)
        values = ParquetDataset(self.parquet_dir, es.values.name)
        key = pk.BY_IDENTIFIER if mode == pk.BY_IDENTIFIER else es.entity.key[0]
        with self.warehouse.connect() as conn, cyclic_gc_paused():
            for batch in in_batches(stream, pages, self.batch_rows):
                items = newest_per_key(batch, key)
                entity_rows, value_rows = flatten_entities(es, items, datetime.now(timezone.utc), run_id,
                                                           identifier_attribute, mode)
                del batch, items  # the parsed items are the bulk of the memory: free them first
                rekeyed = (pk.rekeyed_rows(entity_rows.column("identifier").to_pylist(),
                                           entity_rows.column(es.entity.key[0]).to_pylist()) if rekey else None)
                result.describe(entity_rows)
                files = (entities.append(run_id, entity_rows), values.append(run_id, value_rows))
                result.add_files(*files)
                result.rows += entity_rows.num_rows
                result.value_rows += value_rows.num_rows
                del entity_rows, value_rows
                with self.warehouse.transaction(conn, f"load {stream} batch"):
                    if rekeyed is not None:  # the same products' rows under their old key go in the same commit
                        pk.delete_rekeyed(self.warehouse, conn, es, rekeyed)
                    self._merge(conn, es, *files)
                collect_young()
            if next_cursor is not None or rekey:
                with self.warehouse.transaction(conn, f"move cursor of {stream}"):
                    if rekey:
                        result.rekey_soft_deleted = pk.soft_delete_unrekeyed(self.warehouse, conn, datetime.now(timezone.utc))
                        pk.record_mode(self.warehouse, conn, mode, run_id)
                    if next_cursor is not None:
                        move_cursor(self.warehouse, conn, stream, next_cursor, run_id)
        result.rekeyed = rekey
        result.cursor_after = next_cursor if next_cursor is not None else result.cursor_before
        result.seconds = time.monotonic() - started
        return result

    def _record_product_key(self, product_key: str, run_id: str) -> None:
        with self.warehouse.begin("record the products key") as conn:
            pk.record_mode(self.warehouse, conn, product_key, run_id)

    def _merge(self, conn, es: EntityStream, entity_file: Path, values_file: Path) -> None:
        wh, q = self.warehouse, self.warehouse.quote
        target, values_target = wh.table(es.entity.name), wh.table(es.values.name)
        key = q(es.entity.key[0])
        staged = wh.stage(conn, es.entity.schema, [entity_file])
        staged_values = wh.stage(conn, es.values.schema, [values_file])
        # Rows that win: new keys, or an `updated` at least as new as the stored one.
        winners = (f"SELECT s.{key} FROM {staged} s LEFT JOIN {target} t ON t.{key} = s.{key} "
                   f"WHERE t.{key} IS NULL OR t.{q('updated')} IS NULL OR t.{q('updated')} <= s.{q('updated')}")
        owner = q(es.owner_column)
        # When no staged key is stored yet (a first load, found cheaply through the primary
        # key) every staged row wins: no old value rows to delete (a scan of the values
        # table), no winners to filter by, no conflicts to resolve. Otherwise, merge.
        stored = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {staged} s JOIN {target} t ON t.{key} = s.{key}").scalar_one()
        if not stored:
            conn.exec_driver_sql(sql.insert_select(q, values_target, staged_values, es.values.columns))
            conn.exec_driver_sql(sql.insert_select(q, target, staged, es.entity.columns))
            return
        conn.exec_driver_sql(f"DELETE FROM {values_target} WHERE {owner} IN ({winners})")
        conn.exec_driver_sql(sql.insert_select(q, values_target, staged_values, es.values.columns,
                                               where=f"{owner} IN ({winners})"))
        conn.exec_driver_sql(sql.upsert_select(q, target, staged, es.entity.columns, es.entity.key, "updated"))

    # -- deletions -------------------------------------------------------------
    def mark_deleted(self, stream: str, live_keys: Iterable[list[str]], run_id: str,
                     scan_started_at: datetime | None = None, allow_empty: bool = False,
                     product_key: str = pk.BY_UUID) -> DeletionResult:
        """Soft-delete rows whose key is missing from a full key scan; revive rows that reappear.

        Rows extracted after `scan_started_at` (default: now) are spared: they
        were loaded while the scan ran, so the scan may not have seen them.
        `product_key="identifier"`: the scan lists identifiers (Akeneo 6), stored by identifier_uuid.
        """
        if stream not in ENTITY_STREAMS:
            raise ValueError(f"{stream!r} is not an incremental stream; expected one of {sorted(ENTITY_STREAMS)}")
        check_run_id(run_id)
        self.ensure_tables()
        started = scan_started_at or datetime.now(timezone.utc)
        keys = pk.keys_as_stored(live_keys, pk.check_product_key(product_key)) if stream == "products" else live_keys
        return deletions.mark_deleted(self.warehouse, ENTITY_STREAMS[stream].entity, keys, started, allow_empty)

    # -- reads -----------------------------------------------------------------
    def table_rows(self, table: str, live_only: bool = False) -> int:
        spec = ALL_TABLES.get(table)
        if spec is None:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(ALL_TABLES)}")
        self.ensure_tables()
        return self.warehouse.table_rows(table, "deleted_at IS NULL" if live_only and "deleted_at" in spec.columns else "")

    def read_table(self, table: str) -> pa.Table:
        spec = ALL_TABLES.get(table)
        if spec is None:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(ALL_TABLES)}")
        self.ensure_tables()
        return self.warehouse.read_table(table, spec.schema, order_by=spec.key or spec.columns[:4])
