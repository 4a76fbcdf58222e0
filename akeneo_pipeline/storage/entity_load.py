"""Products and product models in: batches upserted (newest `updated` wins), the cursor moved last.

Pages are flattened a chunk at a time into batches of `batch_rows` items
(entity_batches.py), so memory is bounded whatever the catalog size. Each batch is
written to Parquet first (atomically) and the warehouse loads the same Arrow tables, so
both stores hold the same rows. Batches commit one by one and the cursor moves only
after the last one has committed, in a transaction of its own: a run killed anywhere
restarts from the old cursor and the keyed, newest-wins upserts make the replay harmless.

A stream Akeneo 6 serves by identifier (products, `EntityStream.by_identifier`) is keyed
by a uuid of its identifier there, and re-keyed once the server serves uuids (product_keys.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Connection

from akeneo_pipeline.storage import product_keys as pk
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.cursors import move_cursor, read_cursor
from akeneo_pipeline.storage.entity_batches import flattened_batches
from akeneo_pipeline.storage.gc_pause import collect_all, cyclic_gc_paused
from akeneo_pipeline.storage.parquet import ParquetDataset
from akeneo_pipeline.storage.results import LoadResult
from akeneo_pipeline.storage.schemas import ENTITY_TABLES, EntityTables
from akeneo_pipeline.storage.warehouse import Warehouse
from akeneo_pipeline.streams import EntityStream


def stored_key_field(wh: Warehouse, kind: EntityStream) -> str | None:
    """What the table is keyed by: "identifier" (loaded from Akeneo 6), its own key ("uuid"), or None
    while it is empty. A stream Akeneo serves one way only is always keyed by its own key."""
    tables = ENTITY_TABLES[kind.name]
    if kind.by_identifier is None:
        return kind.key_column
    with wh.begin(f"read the {kind.name} key") as conn:
        return pk.stored_mode(wh, conn, tables)


def load_entities(wh: Warehouse, parquet_dir: Path, batch_rows: int, kind: EntityStream, pages: Iterable[list[dict]],
                  run_id: str, next_cursor: str | None, identifier_attribute: str | None, key_field: str,
                  full_read: bool) -> LoadResult:
    """See `Store.load_entities`."""
    es, stream, started = ENTITY_TABLES[kind.name], kind.name, time.monotonic()
    by_identifier = kind.by_identifier is not None and key_field == kind.by_identifier.field
    if kind.by_identifier is None and key_field != kind.item_key[0]:
        raise ValueError(f"{stream} are keyed by {kind.item_key[0]!r}, not {key_field!r}")
    mode = pk.BY_IDENTIFIER if by_identifier else pk.BY_UUID
    rekey = False
    if kind.by_identifier is not None:
        pk.check_product_key(key_field)
        stored = stored_key_field(wh, kind)
        if stored == pk.BY_UUID and mode == pk.BY_IDENTIFIER:
            raise pk.DowngradeRefused()
        rekey = stored == pk.BY_IDENTIFIER and mode == pk.BY_UUID
        if rekey and not full_read:
            raise ValueError("re-keying products loaded from Akeneo 6 needs a read of every product: "
                             "pass full_read=True with pages read from the beginning")
        if stored is None and mode == pk.BY_IDENTIFIER:
            with wh.begin("record the products key") as conn:  # before the first row, so a crash keeps the mode
                pk.record_mode(wh, conn, es, mode, run_id)
    with wh.begin(f"read cursor of {stream}") as conn:
        result = LoadResult(stream, cursor_before=read_cursor(wh, conn, stream))
    entities = ParquetDataset(parquet_dir, es.entity.name)
    values = ParquetDataset(parquet_dir, es.values.name)
    key = pk.BY_IDENTIFIER if mode == pk.BY_IDENTIFIER else es.entity.key[0]
    with wh.connect() as conn, cyclic_gc_paused():
        for entity_rows, value_rows in flattened_batches(es, pages, batch_rows, run_id, identifier_attribute,
                                                         mode, key):
            rekeyed = (pk.rekeyed_rows(es, entity_rows.column("identifier").to_pylist(),
                                       entity_rows.column(es.entity.key[0]).to_pylist()) if rekey else None)
            result.describe(entity_rows)
            files = (entities.append(run_id, entity_rows), values.append(run_id, value_rows))
            result.add_files(*files)
            result.rows += entity_rows.num_rows
            result.value_rows += value_rows.num_rows
            with wh.transaction(conn, f"load {stream} batch"):
                if rekeyed is not None:  # the same products' rows under their old key go in the same commit
                    pk.delete_rekeyed(wh, conn, es, rekeyed)
                merge_batch(wh, conn, es, entity_rows, value_rows)
            del entity_rows, value_rows
            collect_all()
        if next_cursor is not None or rekey:
            with wh.transaction(conn, f"move cursor of {stream}"):
                if rekey:
                    result.rekey_soft_deleted = pk.soft_delete_unrekeyed(wh, conn, es, datetime.now(UTC))
                    pk.record_mode(wh, conn, es, mode, run_id)
                if next_cursor is not None:
                    move_cursor(wh, conn, stream, next_cursor, run_id)
    result.rekeyed = rekey
    result.cursor_after = next_cursor if next_cursor is not None else result.cursor_before
    result.seconds = time.monotonic() - started
    return result


def merge_batch(wh: Warehouse, conn: Connection, es: EntityTables, entity_rows: pa.Table, value_rows: pa.Table) -> None:
    """Upsert one batch into the entity and values tables, in the caller's transaction.

    The rows are the Arrow tables just written to Parquet, so both stores get the same rows
    without reading the files back (DuckDB scans the Arrow tables in place)."""
    with wh.staged(conn, es.entity.schema, entity_rows) as staged, \
            wh.staged(conn, es.values.schema, value_rows) as staged_values:
        if not _first_load(wh, conn, es, staged, staged_values):
            _merge(wh, conn, es, staged, staged_values)


def _winners(wh: Warehouse, es: EntityTables, staged: str) -> str:
    """Rows that win: new keys, or an `updated` at least as new as the stored one."""
    q = wh.quote
    target, key = wh.table(es.entity.name), q(es.entity.key[0])
    return (f"SELECT s.{key} FROM {staged} s LEFT JOIN {target} t ON t.{key} = s.{key} "
            f"WHERE t.{key} IS NULL OR t.{q('updated')} IS NULL OR t.{q('updated')} <= s.{q('updated')}")


def _first_load(wh: Warehouse, conn: Connection, es: EntityTables, staged: str, staged_values: str) -> bool:
    """When no staged key is stored yet (a first load, found cheaply through the primary
    key) every staged row wins: no old value rows to delete (a scan of the values table),
    no winners to filter by, no conflicts to resolve. Inserts them and says so."""
    q = wh.quote
    target, values_target = wh.table(es.entity.name), wh.table(es.values.name)
    key = q(es.entity.key[0])
    stored = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {staged} s JOIN {target} t ON t.{key} = s.{key}").scalar_one()
    if stored:
        return False
    conn.exec_driver_sql(sql.insert_select(q, values_target, staged_values, es.values.columns))
    conn.exec_driver_sql(sql.insert_select(q, target, staged, es.entity.columns))
    return True


def _merge(wh: Warehouse, conn: Connection, es: EntityTables, staged: str, staged_values: str) -> None:
    """The winners' value rows and entity rows replaced whole, losers left as stored.

    Entity rows are deleted and inserted again rather than upserted (INSERT .. ON CONFLICT
    DO UPDATE): on DuckDB such an upsert of a batch of stored products (20,000 items, ~30 MB
    of `raw`) ran out of the warehouse's memory limit (warehouse.py) and rolled the batch
    back, even split into slices, while a delete only marks rows and the insert is the same
    as a first load's. Every column is replaced either way. The winners are chosen before
    anything is deleted; once the winners' rows are gone, the staged rows whose key is not
    stored are exactly the winners and the new keys."""
    q = wh.quote
    target, values_target = wh.table(es.entity.name), wh.table(es.values.name)
    key, owner, winners = q(es.entity.key[0]), q(es.owner_column), _winners(wh, es, staged)
    conn.exec_driver_sql(f"DELETE FROM {values_target} WHERE {owner} IN ({winners})")
    conn.exec_driver_sql(sql.insert_select(q, values_target, staged_values, es.values.columns,
                                           where=f"{owner} IN ({winners})"))
    conn.exec_driver_sql(f"DELETE FROM {target} WHERE {key} IN ({winners})")
    conn.exec_driver_sql(sql.insert_select(q, target, staged, es.entity.columns,
                                           where=f"{key} NOT IN (SELECT {key} FROM {target})"))
