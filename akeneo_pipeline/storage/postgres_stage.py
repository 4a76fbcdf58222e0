"""PostgreSQL staging by binary COPY from Arrow (ADBC's PostgreSQL driver).

Measured on 100,000 products (bench/postgres.py), ADBC's binary COPY stages about
five times faster than writing CSV with pyarrow and sending it through psycopg's
COPY. ADBC speaks on a connection of its own, so it cannot fill a TEMP table of
the load's transaction: each stage is an UNLOGGED table in `<schema>_staging`,
created, filled and committed by ADBC, then read by the load's own (psycopg)
transaction through a temporary view that casts JSON text to JSONB. The target
tables and the cursor therefore still change in that one transaction, or not at
all. The staging table is dropped as soon as the transaction ends, committed or
rolled back; one left by a killed process carries its creation time in its name
and is dropped by the next `Store.ensure_tables` once it is old enough that no
running load can still be reading it.

NUL: PostgreSQL text cannot hold U+0000, so every batch passes through
`postgres_text.without_nul` before it is sent, exactly as before the CSV COPY.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from secrets import token_hex
from typing import Any

import adbc_driver_postgresql.dbapi as adbc  # type: ignore[import-untyped]  # no py.typed
import pyarrow as pa
import pyarrow.parquet as pq
from adbc_driver_manager import dbapi as adbc_api
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.postgres_conninfo import libpq_conninfo
from akeneo_pipeline.storage.postgres_text import without_nul
from akeneo_pipeline.storage.schemas import is_json
from akeneo_pipeline.storage.warehouse_sql import Quote

BATCH_ROWS = 20_000
STAGE_PREFIX = "stage_"
# A stage lives for one batch's merge (seconds); one older than this was left by a process that died.
LEFTOVER_AFTER_SECONDS = 6 * 3600
ADBC_ERRORS = (adbc_api.Error,)


def staging_schema(schema: str) -> str:
    """Its own schema: ADBC must never wait on a CREATE SCHEMA the load's transaction has not committed."""
    return f"{schema}_staging"


def stage_name(now: float | None = None) -> str:
    return f"{STAGE_PREFIX}{int(time.time() if now is None else now)}_{token_hex(6)}"


def is_leftover(name: str, now: float) -> bool:
    """A staging table (by prefix) whose creation time is more than LEFTOVER_AFTER_SECONDS ago."""
    if not name.startswith(STAGE_PREFIX):
        return False
    created = name[len(STAGE_PREFIX):].split("_", 1)[0]
    return created.isdigit() and now - int(created) > LEFTOVER_AFTER_SECONDS


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """What ADBC sends: the same types without field metadata (JSON columns travel as text)."""
    return pa.schema([pa.field(f.name, f.type) for f in schema])


class PostgresStager:
    """Stages of one warehouse: the ADBC connection (opened on first use) and, per SQLAlchemy
    connection, the staging tables its current transaction reads."""

    def __init__(self, url: URL, schema: str, quote: Quote, connect_timeout: int) -> None:
        self._conninfo = libpq_conninfo(url, connect_timeout)
        self._schema = staging_schema(schema)
        self._quote = quote
        self._lock = threading.Lock()
        self._adbc: Any = None
        self._open: dict[int, list[tuple[str, str]]] = {}  # id(conn) -> [(view, table)]

    def _table(self, name: str) -> str:
        return f"{self._quote(self._schema)}.{self._quote(name)}"

    def _connection(self) -> Any:
        if self._adbc is None:
            conn = adbc.connect(self._conninfo)
            try:
                with conn.cursor() as cursor:
                    cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {self._quote(self._schema)}")
                conn.commit()
            except adbc_api.IntegrityError:  # another process created it at the same moment
                conn.rollback()
            self._adbc = conn
        return self._adbc

    def stage(self, conn: Connection, schema: pa.Schema, source: pa.Table | Sequence[Path],
              into: str | None = None) -> str:
        """Fill a staging table from Arrow or Parquet files and return the quoted name of the
        temporary view `conn` reads it by (append to it again with `into`)."""
        owned = self._open.setdefault(id(conn), [])
        table = next((t for v, t in owned if v == into), None) if into else None
        with self._lock:
            reused = self._adbc is not None
            try:
                table = self._fill(table, schema, source)
            except adbc_api.Error:
                self._discard()
                if not reused:
                    raise
                # The server may have restarted since this connection was opened: retry once on a new one.
                table = self._fill(table, schema, source)
        if into:
            return into
        view = self._quote(f"_stage_{token_hex(6)}")
        owned.append((view, table))
        columns = ", ".join(f"CAST({self._quote(f.name)} AS JSONB) AS {self._quote(f.name)}" if is_json(f)
                            else self._quote(f.name) for f in schema)
        conn.exec_driver_sql(f"CREATE TEMPORARY VIEW {view} AS SELECT {columns} FROM {self._table(table)}")
        return view

    def _fill(self, table: str | None, schema: pa.Schema, source: pa.Table | Sequence[Path]) -> str:
        """Create the staging table (unless given) and append `source`, committed; its name."""
        adbc_conn = self._connection()
        try:
            with adbc_conn.cursor() as cursor:
                if table is None:
                    table = stage_name()
                    text_schema = pa.schema([pa.field(f.name, pa.string()) if is_json(f) else f for f in schema])
                    cursor.execute(sql.create_table("postgresql", self._quote, self._table(table), text_schema,
                                                    key=(), unlogged=True))
                reader = pa.RecordBatchReader.from_batches(plain_schema(schema), _batches(schema, source))
                cursor.adbc_ingest(table, reader, mode="append", db_schema_name=self._schema)
            adbc_conn.commit()
        except BaseException:
            self._discard()  # a connection an error interrupted is not reused
            raise
        return table

    def _discard(self) -> None:
        if self._adbc is not None:
            with contextlib.suppress(adbc_api.Error):
                self._adbc.close()
            self._adbc = None

    def release(self, conn: Connection) -> None:
        """Drop the stages `conn` read, once its transaction has ended; one that cannot be
        dropped now (connection lost) is dropped later as a leftover."""
        owned = self._open.pop(id(conn), [])
        if not owned:
            return
        try:
            with conn.begin():
                for view, table in owned:
                    conn.exec_driver_sql(f"DROP VIEW IF EXISTS {view}")
                    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self._table(table)}")
        except Exception:
            pass

    def drop_leftovers(self, conn: Connection) -> list[str]:
        """Drop staging tables left by processes that died mid-load; their names."""
        rows = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                            {"s": self._schema}).scalars().all()
        now = time.time()
        dropped = [str(name) for name in rows if is_leftover(str(name), now)]
        for name in dropped:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {self._table(name)} CASCADE")
        return dropped

    def close(self) -> None:
        with self._lock:
            self._discard()


def _batches(schema: pa.Schema, source: pa.Table | Sequence[Path]) -> Iterator[pa.RecordBatch]:
    plain = plain_schema(schema)
    parts: Iterable[pa.RecordBatch]
    if isinstance(source, pa.Table):
        parts = source.select(schema.names).to_batches(BATCH_ROWS)
    else:
        parts = (b for path in source
                 for b in pq.ParquetFile(path).iter_batches(BATCH_ROWS, columns=schema.names))
    for batch in parts:
        if batch.num_rows:
            batch = batch.select(schema.names).cast(plain)
            yield without_nul(batch, schema)
