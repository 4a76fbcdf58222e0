"""The storage facade: Akeneo pages in, Parquet and warehouse tables out, cursors moved last.

Everything outside storage/ goes through `Store`'s typed methods: loads, cursors, the
reads checks and loaders need, and the picklist tables' transaction. No SQL, engine or
table name leaves this package. One Store per run (`StorageResource` makes it and
`close`s it at the end): its engine pools PostgreSQL connections for the whole run,
while an embedded DuckDB file is opened per call (warehouse.py) so dbt can open it next.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import (
    catalog_load,
    deletions,
    edition_queries,
    entity_load,
    feed_tables,
    impact,
    queries,
    record_load,
)
from akeneo_pipeline.storage import picklist_tables as picklists
from akeneo_pipeline.storage import product_keys as pk
from akeneo_pipeline.storage.added_columns import add_missing_columns
from akeneo_pipeline.storage.cursors import read_cursor
from akeneo_pipeline.storage.object_store import ObjectStore
from akeneo_pipeline.storage.parquet import check_run_id, check_writable
from akeneo_pipeline.storage.queries import Found
from akeneo_pipeline.storage.results import DeletionResult, LoadResult
from akeneo_pipeline.storage.schemas import ALL_TABLES, ENTITY_TABLES, PICKLIST_TABLES, STRUCTURE_TABLES, TableSpec
from akeneo_pipeline.storage.warehouse import Warehouse
from akeneo_pipeline.streams import EntityStream, RecordStream, entity_stream, record_stream

# Items per Parquet part and warehouse transaction. Items are flattened a chunk at a time
# (entity_batches.py), so a batch costs its Arrow rows (~3 KiB per product), not its parsed
# items (~20 KiB); larger batches mean fewer commits, which were a third of a load's time.
BATCH_ROWS = 20_000


class Store:
    """Parquet under `<data_dir>/parquet/<stream>/run=<run_id>/` and tables in the warehouse."""

    def __init__(self, data_dir: Path, warehouse_url: str, schema: str = "akeneo",
                 batch_rows: int = BATCH_ROWS, object_store: ObjectStore | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.parquet_dir = self.data_dir / "parquet"
        self._warehouse = Warehouse(warehouse_url, schema)
        self.batch_rows = batch_rows
        self._tables_ready = False
        # With AKENEO_PARQUET_URL, the local parts are the staging the warehouse loads from, and each
        # committed load is published there (object_store.py).
        self.object_store = object_store

    @classmethod
    def from_settings(cls, settings: StorageSettings, batch_rows: int = BATCH_ROWS) -> Store:
        assert settings.warehouse_url is not None  # the settings fill in the DuckDB default
        objects = (ObjectStore(settings.parquet_url, settings.s3_endpoint_url, settings.s3_region)
                   if settings.parquet_url else None)
        return cls(settings.data_dir, settings.warehouse_url.get_secret_value(), settings.warehouse_schema, batch_rows,
                   objects)

    def _publish(self, run_id: str, files: Iterable[Path]) -> None:
        """Upload a committed load's parts, one manifest per dataset, when object storage is set."""
        if self.object_store is None:
            return
        by_stream: dict[str, list[Path]] = {}
        for path in files:
            by_stream.setdefault(Path(path).relative_to(self.parquet_dir).parts[0], []).append(Path(path))
        for stream, paths in by_stream.items():
            self.object_store.publish(self.parquet_dir, stream, run_id, paths)

    def __repr__(self) -> str:
        return f"Store({str(self.data_dir)!r}, {self._warehouse!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Dispose of the engine (its pooled connections); the Store may be used again afterwards."""
        self._warehouse.dispose()

    def ensure_tables(self) -> None:
        """Create the schema and every table that is missing (one transaction, once per Store)."""
        if self._tables_ready:
            return
        wh = self._warehouse
        with wh.begin("create tables") as conn:
            wh.drop_leftover_stages(conn)
            for spec in ALL_TABLES.values():
                if spec.name in PICKLIST_TABLES:
                    picklists.migrate(wh, conn, spec)  # warehouses from before `source` / `table_column`
                wh.create_in(conn, spec.name, spec.schema, spec.key if spec.primary_key else ())
            for spec in PICKLIST_TABLES.values():  # a warehouse made before feed version 2
                add_missing_columns(wh, conn, spec)
            if wh.dialect == "postgresql":
                # Value rows are replaced per owner on every update: without an index each
                # batch would scan the whole values table. (DuckDB scans columns fast enough.)
                for es in ENTITY_TABLES.values():
                    index = wh.quote(f"{es.values.name}_{es.owner_column}_idx")
                    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {index} ON "
                                         f"{wh.table(es.values.name)} ({wh.quote(es.owner_column)})")
        self._tables_ready = True

    def _prepare(self, run_id: str) -> None:
        # Fail before writing anything: bad run id, unwritable directory, unreachable warehouse.
        check_run_id(run_id)
        check_writable(self.parquet_dir)
        self.ensure_tables()

    # -- loads -----------------------------------------------------------------
    def get_cursor(self, stream: str) -> str | None:
        self.ensure_tables()
        with self._warehouse.begin(f"read cursor of {stream}") as conn:
            return read_cursor(self._warehouse, conn, stream)

    def load_catalog(self, stream: str, pages: Iterable[list[dict]], run_id: str) -> LoadResult:
        """Replace a catalog stream's table with a full read of it, atomically (catalog_load.py)."""
        if stream not in STRUCTURE_TABLES:
            raise ValueError(f"{stream!r} is not a catalog stream; expected one of {sorted(STRUCTURE_TABLES)}")
        self._prepare(run_id)
        result = catalog_load.load_catalog(self._warehouse, self.parquet_dir, self.batch_rows, stream, pages, run_id)
        self._publish(run_id, result.parquet_files)
        return result

    def key_field(self, kind: str | EntityStream) -> str | None:
        """What the stream's table is keyed by: its own key ("uuid" for products), "identifier" for
        products loaded from Akeneo 6, or None while the table is empty (see product_keys.py)."""
        self.ensure_tables()
        return entity_load.stored_key_field(self._warehouse, entity_stream(kind))

    def needs_rekey(self, kind: str | EntityStream, key_field: str) -> bool:
        """Whether loading items keyed by `key_field` first re-keys the table (an Akeneo 6 -> 7
        upgrade), which takes a full read (`full_read=True`)."""
        stream = entity_stream(kind)
        return (stream.by_identifier is not None and key_field == stream.item_key[0]
                and self.key_field(stream) == stream.by_identifier.field)

    def load_entities(self, kind: str | EntityStream, pages: Iterable[list[dict]], run_id: str,
                      next_cursor: str | None, identifier_attribute: str | None = None,
                      key_field: str | None = None, full_read: bool = False) -> LoadResult:
        """Upsert products or product models (newest `updated` wins), replacing each winner's
        value rows whole, then move the cursor to `next_cursor` once all batches committed
        (None leaves the cursor where it is).

        `key_field` is what the server keys items by (`AkeneoClient.key_field`: "uuid", or
        "identifier" for products on Akeneo 6; the stream's own key by default). When the table
        was loaded by identifier and the server now serves uuids, the load re-keys it, which
        needs `pages` to be a read of every item (`full_read=True`).
        """
        stream = entity_stream(kind)
        self._prepare(run_id)
        result = entity_load.load_entities(self._warehouse, self.parquet_dir, self.batch_rows, stream, pages, run_id,
                                           next_cursor, identifier_attribute, key_field or stream.item_key[0],
                                           full_read)
        self._publish(run_id, result.parquet_files)
        return result

    def load_records(self, kind: str | RecordStream, pages: Iterable[list[dict]], run_id: str,
                     next_cursor: str | None, full_read: bool) -> LoadResult:
        """Reference entity records or assets: the items read replace their stored rows and values, and the
        cursor moves to `next_cursor`, in one transaction; `full_read` (every parent read whole) replaces the
        tables (record_load.py)."""
        stream = record_stream(kind)
        self._prepare(run_id)
        return record_load.load_records(self._warehouse, self.parquet_dir, self.batch_rows, stream, pages, run_id,
                                        next_cursor, full_read)

    def mark_deleted(self, kind: str | EntityStream, live_keys: Iterable[list[str]], run_id: str,
                     scan_started_at: datetime | None = None, allow_empty: bool = False,
                     key_field: str | None = None) -> DeletionResult:
        """Soft-delete rows whose key is missing from a full key scan; revive rows that reappear.

        Rows extracted after `scan_started_at` (default: now) are spared: they
        were loaded while the scan ran, so the scan may not have seen them.
        `key_field="identifier"`: the scan lists identifiers (Akeneo 6), stored by identifier_uuid.
        """
        stream = entity_stream(kind)
        check_run_id(run_id)
        self.ensure_tables()
        started = scan_started_at or datetime.now(UTC)
        if stream.by_identifier is not None:
            live_keys = pk.keys_as_stored(live_keys, pk.check_product_key(key_field or stream.item_key[0]))
        return deletions.mark_deleted(self._warehouse, ENTITY_TABLES[stream.name].entity, live_keys, started,
                                      allow_empty)

    # -- reads -----------------------------------------------------------------
    def _spec(self, table: str) -> TableSpec:
        spec = ALL_TABLES.get(table)
        if spec is None:
            raise ValueError(f"unknown table {table!r}; expected one of {sorted(ALL_TABLES)}")
        self.ensure_tables()
        return spec

    def table_rows(self, table: str, live_only: bool = False) -> int:
        """Rows of a table; `live_only` leaves out the soft-deleted ones."""
        live = live_only and "deleted_at" in self._spec(table).columns
        return self._warehouse.table_rows(table, "deleted_at IS NULL" if live else "")

    def read_table(self, table: str) -> pa.Table:
        """The whole table as Arrow, in its schema (JSON columns as text), ordered by its key."""
        spec = self._spec(table)
        return self._warehouse.read_table(table, spec.schema, order_by=spec.key or spec.columns[:4])

    def codes_of(self, table: str, types: tuple[str, ...] = ()) -> list[str]:
        """Codes of a catalog table's items (of these `type`s only, if any), sorted: the stored parents
        of a sub-resource, the select attributes whose options to read."""
        self._spec(table)
        return queries.codes_of(self._warehouse, table, types)

    def keys_of(self, table: str, types: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        """Keys of a table's rows (of these `type`s only, if any), sorted: the stored parents of a
        sub-resource whose parent has a key of several columns (reference entity attributes)."""
        spec = self._spec(table)
        return queries.keys_of(self._warehouse, table, spec.key, types)

    def parents_read(self, kind: str | RecordStream) -> list[str]:
        """The parents (reference entities, asset families) with stored records or assets, sorted."""
        stream = record_stream(kind)
        assert stream.parent is not None
        column = stream.key[0]
        return sorted({key[0] for key in queries.keys_of(self._warehouse, stream.name, (column,))})

    def identifier_attribute(self) -> str | None:
        """The stored `pim_catalog_identifier` attribute's code (the main one if several), or None."""
        return queries.identifier_attribute(self._warehouse)

    def read_attributes_and_options(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The stored attributes and attribute options as items (labels as dicts), from one committed state."""
        self.ensure_tables()
        return queries.attributes_and_options(self._warehouse)

    def read_edition_picklists(self) -> edition_queries.EditionPicklists:
        """The stored reference entity attributes with their entities' records (labels per locale), and the
        table attributes' select columns with their options, from one committed state."""
        self.ensure_tables()
        return edition_queries.edition_picklists(self._warehouse)

    def duplicate_keys(self, table: str) -> Found:
        """Keys held by more than one row (should never happen: every write is keyed)."""
        self._spec(table)
        return queries.duplicate_keys(self._warehouse, table)

    def dangling_references(self, kind: str | EntityStream, reference: str) -> Found:
        """Live items pointing at a family, family variant, parent or category the tables lack."""
        stream = entity_stream(kind)
        self.ensure_tables()
        return queries.dangling_references(self._warehouse, stream.name, reference)

    # -- picklists -------------------------------------------------------------
    @contextmanager
    def picklist_transaction(self, action: str) -> Iterator[picklists.PicklistTables]:
        """The picklist tables inside one transaction: committed on success, rolled back on error."""
        self.ensure_tables()
        with self._warehouse.begin(action) as conn:
            yield picklists.PicklistTables(self._warehouse, conn)

    def change_parts_high_water(self) -> int:
        """Highest change_id already in the picklist_changes Parquet dataset (0 when empty)."""
        return picklists.change_parts_high_water(self.parquet_dir)

    def write_change_part(self, rows: list[dict[str, Any]]) -> Path:
        """One run's committed change rows as a part of the picklist_changes Parquet dataset."""
        path = picklists.write_change_part(self.parquet_dir, rows)
        self._publish(rows[0]["run_id"], [path])
        return path

    def dangling_values(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Live values pointing at options no longer active in picklist_current (`limit` bounds the list)."""
        self.ensure_tables()
        return impact.dangling_values(self._warehouse, limit)

    def feed_epoch(self) -> str:
        """The picklist feed's epoch: made once per warehouse, so a rebuilt one is told apart."""
        with self.picklist_transaction("read the picklist feed epoch") as tables:
            return tables.feed_epoch()

    def record_change_impact(self, first_change_id: int, last_change_id: int) -> list[dict[str, Any]]:
        """Count what the option changes in [first, last] touch and keep it in picklist_change_impact."""
        self.ensure_tables()
        return feed_tables.record_change_impact(self._warehouse, first_change_id, last_change_id)

    def change_impact_after(self, change_id: int) -> list[dict[str, Any]]:
        """The impact kept for every change after `change_id` (picklist_change_impact), in order."""
        self.ensure_tables()
        return feed_tables.change_impact_after(self._warehouse, change_id)

    # -- the Salesforce target's positions ---------------------------------------
    def salesforce_positions(self) -> list[dict[str, Any]]:
        """Rows of salesforce_positions: attribute_code, target, change_id, mapping_digest, deploy_id."""
        self.ensure_tables()
        return feed_tables.salesforce_positions(self._warehouse)

    def record_salesforce_positions(self, rows: list[dict[str, Any]]) -> None:
        """Upsert positions by (attribute_code, target), in one transaction."""
        self.ensure_tables()
        feed_tables.record_salesforce_positions(self._warehouse, rows)
