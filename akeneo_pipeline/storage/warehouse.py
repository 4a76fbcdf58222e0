"""The warehouse: a SQLAlchemy engine over DuckDB (embedded) or PostgreSQL, for storage's modules only.

DuckDB allows one read-write process per file and dbt or another Dagster step
may open it next, so DuckDB connections are never pooled: each call opens the
file and closes it on return (NullPool). Every driver error is translated
into a StorageError naming the password-masked URL; the password itself is
scrubbed from any driver message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pyarrow as pa
from adbc_driver_manager import dbapi as adbc_api
from sqlalchemy import Connection, Engine, create_engine, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.errors import WarehouseError, WarehouseUnavailableError
from akeneo_pipeline.storage.postgres_stage import ADBC_ERRORS, PostgresStager
from akeneo_pipeline.storage.warehouse_stage import arrow_view, stage

CONNECT_TIMEOUT_SECONDS = 10
# A bounded buffer pool: DuckDB spills to disk rather than growing with the catalog. Its
# share of a load's peak RSS is this limit (reached by ~100,000 products, then flat); 512MB
# put a 100,000-product load near 900 MiB, 256MB at 600 MiB and 96MB at 460 MiB once parsed
# items no longer pile up per batch (bench/). 128MB leaves room for the primary-key index
# (~25 MB per 300,000 products) at a million products.
DUCKDB_CONFIG = {"memory_limit": "128MB"}
_DRIVER_ERRORS = (exc.DBAPIError, duckdb.Error, psycopg.Error, *ADBC_ERRORS)
_UNAVAILABLE = (exc.OperationalError, psycopg.OperationalError, adbc_api.OperationalError)


class Warehouse:
    """Tables in one schema of one database, reached only through `Store` (every identifier quoted)."""

    def __init__(self, url: str, schema: str = "akeneo") -> None:
        if not schema.isidentifier():
            raise ValueError(f"warehouse schema must be a plain identifier, got {schema!r}")
        parsed = make_url(url)
        self.url_display = parsed.render_as_string(hide_password=True)
        self._password = parsed.password or None
        self.dialect = "duckdb" if parsed.get_backend_name() == "duckdb" else "postgresql"
        self.schema = schema
        self._stager: PostgresStager | None = None
        if self.dialect == "duckdb":
            self._duckdb_path = Path(parsed.database) if parsed.database not in (None, "", ":memory:") else None
            self.engine: Engine = create_engine(parsed, poolclass=NullPool, connect_args={"config": DUCKDB_CONFIG})
        else:
            self._duckdb_path = None
            self.engine = create_engine(parsed, pool_pre_ping=True,
                                        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        self._quote = self.engine.dialect.identifier_preparer.quote
        if self.dialect == "postgresql":
            self._stager = PostgresStager(parsed, schema, self._quote, CONNECT_TIMEOUT_SECONDS)
        self._known: set[str] = set()

    def __repr__(self) -> str:
        return f"Warehouse({self.url_display!r}, schema={self.schema!r})"

    def dispose(self) -> None:
        """Close the engine's pooled connections and the staging connection (PostgreSQL); a
        later call opens new ones."""
        self.engine.dispose()
        if self._stager is not None:
            self._stager.close()

    # -- names -------------------------------------------------------------
    def quote(self, identifier: str) -> str:
        return self._quote(identifier)

    def table(self, name: str) -> str:
        """The schema-qualified, quoted name of a table, for SQL text."""
        return f"{self._quote(self.schema)}.{self._quote(name)}"

    # -- connections -------------------------------------------------------
    def _scrub(self, error: BaseException) -> str:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()
        text_ = " ".join(message)[:500] or type(error).__name__
        if not self._password:
            return text_
        # also as libpq's connection string escapes it (the staging connection is opened from one)
        escaped = self._password.replace("\\", "\\\\").replace("'", "\\'")
        return text_.replace(self._password, "***").replace(escaped, "***")

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A short-lived connection; unreachable warehouses raise WarehouseUnavailableError."""
        try:
            if self._duckdb_path is not None:
                self._duckdb_path.parent.mkdir(parents=True, exist_ok=True)
            conn = self.engine.connect()
        except Exception as error:  # any failure to open is "unavailable", whatever the driver
            raise WarehouseUnavailableError(self.url_display, self._scrub(error)) from None
        try:
            yield conn
        finally:
            if self._stager is not None:
                self._stager.release(conn)
            conn.close()

    @contextmanager
    def transaction(self, conn: Connection, action: str) -> Iterator[Connection]:
        """One transaction: committed on success, rolled back (and translated) on error."""
        try:
            with conn.begin():
                yield conn
        except _DRIVER_ERRORS as error:
            if isinstance(error, _UNAVAILABLE) and self.dialect == "postgresql":
                raise WarehouseUnavailableError(self.url_display, self._scrub(error)) from None
            raise WarehouseError(self.url_display, action, self._scrub(error)) from None
        finally:
            if self._stager is not None:  # its stages are no longer read, whether committed or not
                self._stager.release(conn)

    @contextmanager
    def begin(self, action: str) -> Iterator[Connection]:
        with self.connect() as conn, self.transaction(conn, action):
            yield conn

    # -- DDL ---------------------------------------------------------------
    def ensure_schema(self, conn: Connection) -> None:
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {self._quote(self.schema)}")

    def create_in(self, conn: Connection, name: str, schema: pa.Schema, primary_key: Sequence[str] = ()) -> None:
        if name in self._known:
            return
        self.ensure_schema(conn)
        conn.exec_driver_sql(sql.create_table(self.dialect, self._quote, self.table(name), schema, primary_key))
        self._known.add(name)

    def drop_leftover_stages(self, conn: Connection) -> list[str]:
        """PostgreSQL: drop staging tables a process that died mid-load left behind."""
        return self._stager.drop_leftovers(conn) if self._stager is not None else []

    def stage(self, conn: Connection, schema: pa.Schema, source: pa.Table | Sequence[Path],
              into: str | None = None) -> str:
        """Rows from Arrow or Parquet files as a relation for the rest of the transaction (DuckDB:
        a temporary table; PostgreSQL: a binary-COPY staging table behind a temporary view);
        returns its quoted name (append to it again with `into`)."""
        if self._stager is not None:
            return self._stager.stage(conn, schema, source, into)
        return stage(conn, self._quote, schema, source, into)

    @contextmanager
    def staged(self, conn: Connection, schema: pa.Schema, table: pa.Table) -> Iterator[str]:
        """A relation holding `table` for the statements run inside: DuckDB scans the Arrow
        table in place, PostgreSQL a staging table filled by binary COPY."""
        if self.dialect == "duckdb":
            with arrow_view(conn, self._quote, table.select(schema.names)) as name:
                yield name
        else:
            yield self.stage(conn, schema, table)

    # -- reads -------------------------------------------------------------
    def query(self, statement: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a SQL statement with `:name` bound parameters (use `table()` for names)."""
        with self.begin("query") as conn:
            return [dict(row) for row in conn.execute(text(statement), params or {}).mappings()]

    def read_table(self, name: str, schema: pa.Schema, order_by: Sequence[str] = ()) -> pa.Table:
        """The whole table as Arrow in `schema` (JSON columns as text)."""
        statement = sql.select_as_text(self._quote, self.table(name), schema)
        if order_by:
            statement += " ORDER BY " + sql.column_list(self._quote, order_by)
        with self.begin(f"read {name}") as conn:
            if self.dialect == "duckdb":
                raw = conn.connection.driver_connection
                assert raw is not None
                result: pa.Table = raw.sql(statement).to_arrow_table()
                return result.cast(schema)
            rows = conn.exec_driver_sql(statement).mappings().all()
            return pa.Table.from_pylist([dict(r) for r in rows], schema=schema)

    def table_rows(self, name: str, where: str = "") -> int:
        with self.begin(f"count {name}") as conn:
            condition = f" WHERE {where}" if where else ""
            return int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {self.table(name)}{condition}").scalar_one())

    def table_exists(self, name: str) -> bool:
        statement = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = :s AND table_name = :t"
        with self.begin(f"look up {name}") as conn:
            return bool(conn.execute(text(statement), {"s": self.schema, "t": name}).scalar_one())
