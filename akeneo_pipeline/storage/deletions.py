"""Soft deletes from a key scan: Akeneo's REST API never lists what it deleted.

The live keys are streamed into a temporary table page by page (memory stays
bounded), then two UPDATEs in the same transaction set `deleted_at` on rows
missing from the scan and clear it on rows that reappeared.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pyarrow as pa
from sqlalchemy import Connection, text

from akeneo_pipeline.storage.errors import StorageError
from akeneo_pipeline.storage.results import DeletionResult
from akeneo_pipeline.storage.schemas import TableSpec
from akeneo_pipeline.storage.warehouse import Warehouse

CHUNK_KEYS = 50_000


def mark_deleted(warehouse: Warehouse, spec: TableSpec, live_keys: Iterable[list[str]], scan_started_at: datetime,
                 allow_empty: bool = False) -> DeletionResult:
    key = spec.key[0]
    schema = pa.schema([pa.field(key, pa.string())])
    q, target = warehouse.quote, warehouse.table(spec.name)
    live = 0
    with warehouse.begin(f"mark deleted {spec.name}") as conn:
        staged = warehouse.stage(conn, schema, schema.empty_table())
        chunk: list[str] = []
        for page in live_keys:
            chunk.extend(page)
            if len(chunk) >= CHUNK_KEYS:
                live += _flush(warehouse, conn, schema, staged, chunk)
                chunk = []
        live += _flush(warehouse, conn, schema, staged, chunk)
        if live == 0 and not allow_empty:
            raise StorageError(
                f"refusing to mark every {spec.name} row deleted: the key scan returned no keys "
                "(pass allow_empty=True if the catalog really is empty)"
            )
        k, deleted_at, extracted_at = q(key), q("deleted_at"), q("extracted_at")
        missing = f"NOT EXISTS (SELECT 1 FROM {staged} s WHERE s.{k} = {target}.{k})"
        present = f"EXISTS (SELECT 1 FROM {staged} s WHERE s.{k} = {target}.{k})"
        params = {"now": datetime.now(UTC), "started": scan_started_at}
        deleted = conn.execute(text(
            f"UPDATE {target} SET {deleted_at} = :now WHERE {deleted_at} IS NULL AND {missing} "
            f"AND ({extracted_at} IS NULL OR {extracted_at} < :started)"), params).rowcount
        resurrected = conn.execute(text(
            f"UPDATE {target} SET {deleted_at} = NULL WHERE {deleted_at} IS NOT NULL AND {present}")).rowcount
    return DeletionResult(deleted=deleted, resurrected=resurrected, live=live)


def _flush(warehouse: Warehouse, conn: Connection, schema: pa.Schema, staged: str, keys: list[str]) -> int:
    if not keys:
        return 0
    unique = pa.table({schema.names[0]: pa.array(keys, pa.string())}).group_by(schema.names[0]).aggregate([])
    warehouse.stage(conn, schema, unique, into=staged)
    return unique.num_rows
