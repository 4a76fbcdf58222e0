"""Bulk staging: Arrow tables or Parquet files into a temporary table, per dialect.

DuckDB reads Parquet itself (`read_parquet`) or scans a registered Arrow
table; PostgreSQL takes CSV through `COPY ... FROM STDIN` (psycopg 3), written
by pyarrow in batches so memory stays bounded. The temporary table lives only
in the current transaction/connection.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import Connection, text

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.postgres_text import without_nul
from akeneo_pipeline.storage.warehouse_sql import Quote

COPY_BATCH_ROWS = 20_000


def stage(conn: Connection, dialect: str, q: Quote, schema: pa.Schema, source: pa.Table | Sequence[Path],
          into: str | None = None) -> str:
    """Fill a temporary table shaped like `schema` from `source` (a new one unless `into`
    names one this function returned before); returns its quoted name."""
    name = into
    if name is None:
        name = q(f"_stage_{token_hex(6)}")
        conn.exec_driver_sql(sql.create_table(dialect, q, name, schema, key=(), temp=True))
    if isinstance(source, pa.Table):
        source = source.select(schema.names)
        if dialect == "duckdb":
            _duckdb_from_arrow(conn, q, name, schema, source)
        else:
            _postgres_copy(conn, q, name, schema, source.to_batches(COPY_BATCH_ROWS))
    elif source:
        if dialect == "duckdb":
            cols = sql.column_list(q, schema.names)
            conn.execute(text(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM read_parquet(:paths)"),
                         {"paths": [str(p) for p in source]})
        else:
            for path in source:
                batches = pq.ParquetFile(path).iter_batches(COPY_BATCH_ROWS, columns=schema.names)
                _postgres_copy(conn, q, name, schema, batches)
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


def _postgres_copy(conn: Connection, q: Quote, name: str, schema: pa.Schema,
                   batches: Iterable[pa.RecordBatch]) -> None:
    # CSV from pyarrow quotes every string and leaves NULL unquoted-empty, which is
    # exactly how PostgreSQL's CSV COPY tells NULL from an empty string.
    raw = conn.connection.driver_connection
    assert raw is not None
    options = pacsv.WriteOptions(include_header=False)
    with raw.cursor() as cursor:  # noqa: SIM117
        with cursor.copy(f"COPY {name} ({sql.column_list(q, schema.names)}) FROM STDIN (FORMAT csv)") as copy:
            for batch in batches:
                if batch.num_rows == 0:
                    continue
                buffer = io.BytesIO()
                pacsv.write_csv(pa.Table.from_batches([without_nul(batch, schema)]), buffer, options)
                copy.write(buffer.getbuffer())
