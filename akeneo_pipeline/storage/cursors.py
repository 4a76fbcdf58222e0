"""Cursors in `sync_state`, read and moved on the caller's connection and transaction.

A cursor is an opaque string (an `updated` watermark) owned by the caller. The entity
load moves it in a transaction of its own once every batch has committed
(entity_load.py), so a cursor never gets ahead of its data; the products key mode
(`products#key`, product_keys.py) is kept here too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, text

from akeneo_pipeline.storage.schemas import SYNC_STATE
from akeneo_pipeline.storage.warehouse import Warehouse


def read_cursor(warehouse: Warehouse, conn: Connection, stream: str) -> str | None:
    table = warehouse.table(SYNC_STATE.name)
    statement = f"SELECT {warehouse.quote('cursor')} FROM {table} WHERE {warehouse.quote('stream')} = :stream"
    return conn.execute(text(statement), {"stream": stream}).scalar_one_or_none()


def move_cursor(warehouse: Warehouse, conn: Connection, stream: str, cursor: str | None, run_id: str | None) -> None:
    """Upsert the stream's cursor in the caller's transaction."""
    row = {"stream": stream, "cursor": cursor, "moved_at": datetime.now(UTC), "run_id": run_id}
    q = warehouse.quote
    table = warehouse.table(SYNC_STATE.name)
    conn.execute(text(f"DELETE FROM {table} WHERE {q('stream')} = :stream"), {"stream": stream})
    values = ", ".join(f":{name}" for name in SYNC_STATE.columns)
    conn.execute(text(f"INSERT INTO {table} ({', '.join(q(c) for c in SYNC_STATE.columns)}) VALUES ({values})"),
                 row)
