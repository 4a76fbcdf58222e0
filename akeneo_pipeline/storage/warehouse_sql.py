"""SQL text for the warehouse, built from pyarrow schemas: the one place dialects differ in types.

Identifiers are always quoted by the engine's own preparer; data never enters
SQL text (it travels as bound parameters, Arrow, Parquet or COPY).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa

from akeneo_pipeline.storage.schemas import is_json

Quote = Callable[[str], str]

_TYPES: dict[str, dict[pa.DataType, str]] = {
    "duckdb": {pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.bool_(): "BOOLEAN",
               pa.float64(): "DOUBLE", pa.date32(): "DATE"},
    "postgresql": {pa.string(): "TEXT", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.bool_(): "BOOLEAN",
                   pa.float64(): "DOUBLE PRECISION", pa.date32(): "DATE"},
}
_JSON = {"duckdb": "JSON", "postgresql": "JSONB"}


def sql_type(dialect: str, f: pa.Field) -> str:
    if is_json(f):
        return _JSON[dialect]
    if pa.types.is_timestamp(f.type):
        if f.type.tz is None:
            raise ValueError(f"column {f.name!r}: timestamps must carry a time zone (UTC)")
        return "TIMESTAMPTZ"
    try:
        return _TYPES[dialect][f.type]
    except KeyError:
        raise ValueError(f"column {f.name!r}: Arrow type {f.type} has no warehouse mapping") from None


def column_list(q: Quote, names: Sequence[str], prefix: str = "") -> str:
    return ", ".join(prefix + q(n) for n in names)


def create_table(dialect: str, q: Quote, target: str, schema: pa.Schema, key: Sequence[str],
                 temp: bool = False, unlogged: bool = False) -> str:
    """`temp`: DuckDB's staging tables; `unlogged`: PostgreSQL's (no WAL for rows read once)."""
    cols = [f"{q(f.name)} {sql_type(dialect, f)}{' NOT NULL' if f.name in key else ''}" for f in schema]
    if key:
        cols.append(f"PRIMARY KEY ({column_list(q, key)})")
    if temp:
        return f"CREATE TEMPORARY TABLE {target} ({', '.join(cols)})"
    kind = "UNLOGGED TABLE" if unlogged else "TABLE"
    return f"CREATE {kind} IF NOT EXISTS {target} ({', '.join(cols)})"


def insert_select(q: Quote, target: str, source: str, names: Sequence[str], where: str = "") -> str:
    cols = column_list(q, names)
    return f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {source}{' WHERE ' + where if where else ''}"


def upsert_select(q: Quote, target: str, source: str, names: Sequence[str], key: Sequence[str],
                  newer_column: str | None = None, keep: Sequence[str] = ()) -> str:
    """INSERT .. ON CONFLICT DO UPDATE (same text in DuckDB and PostgreSQL).

    With `newer_column`, an incoming row never overwrites a stored row whose
    value there is newer: re-reading an old page cannot roll a product back.
    Columns in `keep` are written for new rows only (a `first_seen_at`).
    """
    cols = column_list(q, names)
    updates = [n for n in names if n not in key and n not in keep]
    head = f"INSERT INTO {target} AS t ({cols}) SELECT {cols} FROM {source} ON CONFLICT ({column_list(q, key)}) DO "
    if not updates:
        return head + "NOTHING"
    sets = ", ".join(f"{q(n)} = EXCLUDED.{q(n)}" for n in updates)
    guard = ""
    if newer_column:
        guard = f" WHERE t.{q(newer_column)} IS NULL OR t.{q(newer_column)} <= EXCLUDED.{q(newer_column)}"
    return head + f"UPDATE SET {sets}{guard}"


def select_as_text(q: Quote, source: str, schema: pa.Schema) -> str:
    """SELECT with JSON columns as text, so both dialects return the same Arrow types."""
    cols = ", ".join(f"CAST({q(f.name)} AS VARCHAR) AS {q(f.name)}" if is_json(f) else q(f.name) for f in schema)
    return f"SELECT {cols} FROM {source}"
