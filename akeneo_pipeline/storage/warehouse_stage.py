"""Bulk staging in DuckDB: Arrow tables or Parquet files into a temporary table.

DuckDB reads Parquet itself (`read_parquet`) or scans a registered Arrow table.
The temporary table lives only in the current connection. (PostgreSQL stages by
binary COPY instead: `postgres_stage`.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

import pyarrow as pa
from sqlalchemy import Connection, text

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.warehouse_sql import Quote


def stage(conn: Connection, q: Quote, schema: pa.Schema, source: pa.Table | Sequence[Path],
          into: str | None = None) -> str:
    """Fill a temporary table shaped like `schema` from `source` (a new one unless `into`
    names one this function returned before); returns its quoted name."""
    name = into
    if name is None:
        name = q(f"_stage_{token_hex(6)}")
        conn.exec_driver_sql(sql.create_table("duckdb", q, name, schema, key=(), temp=True))
    if isinstance(source, pa.Table):
        _duckdb_from_arrow(conn, q, name, schema, source.select(schema.names))
    elif source:
        cols = sql.column_list(q, schema.names)
        conn.execute(text(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM read_parquet(:paths)"),
                     {"paths": [str(p) for p in source]})
    return name


@contextmanager
def arrow_view(conn: Connection, q: Quote, table: pa.Table) -> Iterator[str]:
    """DuckDB: the Arrow table itself as a relation for the statements run meanwhile (no copy
    into a temporary table); its quoted name. Unregistered on exit."""
    raw = conn.connection.driver_connection
    assert raw is not None
    view = f"_arrow_{token_hex(6)}"
    raw.register(view, table)
    try:
        yield q(view)
    finally:
        raw.unregister(view)


def _duckdb_from_arrow(conn: Connection, q: Quote, name: str, schema: pa.Schema, table: pa.Table) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    view = f"_arrow_{token_hex(6)}"
    raw.register(view, table)
    try:
        conn.exec_driver_sql(sql.insert_select(q, name, q(view), schema.names))
    finally:
        raw.unregister(view)
