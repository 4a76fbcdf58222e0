"""Columns a table spec gained after the table was created: added in place, empty.

`CREATE TABLE IF NOT EXISTS` leaves an older table as it was, so a warehouse made before
picklist feed version 2 would refuse the new columns on its next insert. Every column a
spec lists and the table lacks is added with `ALTER TABLE ... ADD COLUMN`, NULL in the
existing rows (both DuckDB and PostgreSQL allow that without rewriting the key).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.schemas import TableSpec
from akeneo_pipeline.storage.warehouse import Warehouse


def add_missing_columns(warehouse: Warehouse, conn: Connection, spec: TableSpec) -> list[str]:
    """Add the spec's columns the table lacks; returns their names (none on a table just created)."""
    present = {row[0] for row in conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = :schema AND table_name = :name"),
        {"schema": warehouse.schema, "name": spec.name})}
    missing = [f for f in spec.schema if f.name not in present]
    if not present:
        return []  # no such table (the caller creates it first)
    for f in missing:
        conn.exec_driver_sql(f"ALTER TABLE {warehouse.table(spec.name)} "
                             f"ADD COLUMN {warehouse.quote(f.name)} {sql.sql_type(warehouse.dialect, f)}")
    return [f.name for f in missing]
