"""The picklist tables within one transaction: what picklists/commit.py reads and writes.

`Store.picklist_transaction` opens the transaction and hands out a `PicklistTables`:
the last committed state, the next change_id, the appends and upserts, and the
committed changes a publisher has not written yet, all on one connection, so they
commit together or not at all. Rows are plain dicts (JSON columns as Python values);
rows are only written when they change, so a nightly run with no change writes nothing.

`picklist_current` and `picklist_attributes` are keyed by (attribute_code, table_column[, option_code]) with
`table_column` NULL for every picklist but a table attribute's select column: no PRIMARY KEY can hold a NULL,
so their upserts match the key with IS NOT DISTINCT FROM (delete, then insert, `first_seen_at` carried over).
`migrate` brings a warehouse created before `source` / `table_column` to the current columns: the table is
rebuilt (its old primary key goes), old rows get source 'attribute_option', the only kind there was.

The picklist_changes Parquet dataset is written after the commit, from committed rows:
one part per run, named by its change_id span, so the highest change_id on disk is read
from the names alone.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from secrets import token_hex
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, text

from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.parquet import ParquetDataset, write_file
from akeneo_pipeline.storage.schemas import (
    PICKLIST_ATTRIBUTES,
    PICKLIST_CHANGES,
    PICKLIST_CURRENT,
    PICKLIST_FEED_EPOCH,
    TableSpec,
    is_json,
)
from akeneo_pipeline.storage.warehouse import Warehouse

_PART = re.compile(r"^part-(\d{20})-(\d{20})\.parquet$")


def to_arrow(spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (JSON columns as Python values) in the spec's exact schema; JSON columns become text."""
    columns = {}
    for f in spec.schema:
        values = [row.get(f.name) for row in rows]
        if is_json(f):
            values = [None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True) for v in values]
        columns[f.name] = pa.array(values, f.type)
    return pa.Table.from_pydict(columns, schema=spec.schema)


class PicklistTables:
    def __init__(self, warehouse: Warehouse, conn: Connection) -> None:
        self._warehouse = warehouse
        self._conn = conn

    def attribute_rows(self) -> list[tuple[Any, ...]]:
        """(attribute_code, attribute_type, active, table_column) of every picklist ever seen."""
        table = self._warehouse.table(PICKLIST_ATTRIBUTES.name)
        return [tuple(r) for r in self._conn.exec_driver_sql(
            f"SELECT attribute_code, attribute_type, active, table_column FROM {table}").fetchall()]

    def active_option_rows(self) -> list[tuple[Any, ...]]:
        """(attribute_code, option_code, sort_order, labels as JSON text, table_column) of the active options."""
        table = self._warehouse.table(PICKLIST_CURRENT.name)
        return [tuple(r) for r in self._conn.exec_driver_sql(
            f"SELECT attribute_code, option_code, sort_order, CAST(labels AS VARCHAR), table_column FROM {table} "
            "WHERE active").fetchall()]

    def inactive_option_keys(self) -> set[tuple[str, str]]:
        """(attribute_code, option_code) of the removed options: an `added` one of these is reactivated."""
        table = self._warehouse.table(PICKLIST_CURRENT.name)
        return {(str(a), str(o)) for a, o in self._conn.exec_driver_sql(
            f"SELECT attribute_code, option_code FROM {table} WHERE NOT active").fetchall()}

    def attribute_details(self, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{code: {labels, auto_option_sorting}} of these attributes as the stored `attributes` table
        has them (Akeneo's attribute fields `labels` and `auto_option_sorting`, the latter read from
        the item kept in `raw`; Akeneo's Swagger, the attribute example). Absent attributes are left out."""
        wanted = set(codes)
        if not wanted:
            return {}
        rows = self._conn.exec_driver_sql(
            f"SELECT code, CAST(labels AS VARCHAR), CAST(raw AS VARCHAR) FROM {self._warehouse.table('attributes')}"
        ).fetchall()
        details = {}
        for code, labels, raw in rows:
            if code in wanted:
                item = json.loads(raw) if raw else {}
                sorting = item.get("auto_option_sorting")
                details[str(code)] = {"labels": json.loads(labels) if labels else {},
                                      "auto_option_sorting": sorting if isinstance(sorting, bool) else None}
        return details

    def value_list_rows(self, codes: Iterable[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """picklist_attributes rows and picklist_current rows (every option, removed ones inactive) of
        these attributes, labels as dicts, options in (attribute_code, option_code) order."""
        wanted = sorted(set(codes))
        if not wanted:
            return [], []
        names = {f"c{i}": code for i, code in enumerate(wanted)}
        among = ", ".join(f":{n}" for n in names)
        w = self._warehouse
        attributes = [dict(r) for r in self._conn.execute(text(
            f"SELECT attribute_code, attribute_type, active FROM {w.table(PICKLIST_ATTRIBUTES.name)} "
            f"WHERE attribute_code IN ({among}) ORDER BY attribute_code"), names).mappings()]
        options = [dict(r) for r in self._conn.execute(text(
            f"SELECT attribute_code, option_code, sort_order, CAST(labels AS VARCHAR) AS labels, active "
            f"FROM {w.table(PICKLIST_CURRENT.name)} WHERE attribute_code IN ({among}) "
            "ORDER BY attribute_code, option_code"), names).mappings()]
        for row in options:
            row["labels"] = json.loads(row["labels"]) if row["labels"] else {}
        return attributes, options

    def last_change_by_attribute(self) -> dict[str, int]:
        """{attribute_code: its newest change_id} over the whole change log."""
        table = self._warehouse.table(PICKLIST_CHANGES.name)
        return {str(code): int(last) for code, last in self._conn.exec_driver_sql(
            f"SELECT attribute_code, MAX(change_id) FROM {table} GROUP BY attribute_code").fetchall()}

    def feed_epoch(self) -> str:
        """The feed's epoch: made (a random uuid) the first time this warehouse is asked, then kept."""
        return feed_epoch(self._warehouse, self._conn)

    def last_change_id(self) -> int:
        table = self._warehouse.table(PICKLIST_CHANGES.name)
        return int(self._conn.execute(text(f"SELECT COALESCE(MAX(change_id), 0) FROM {table}")).scalar_one())

    def append_changes(self, rows: list[dict[str, Any]]) -> None:
        self._write(PICKLIST_CHANGES, rows, upsert=False)

    def upsert_attributes(self, rows: list[dict[str, Any]]) -> None:
        self._write(PICKLIST_ATTRIBUTES, rows)

    def upsert_options(self, rows: list[dict[str, Any]]) -> None:
        self._write(PICKLIST_CURRENT, rows)

    def changes_after(self, change_id: int) -> list[dict[str, Any]]:
        """picklist_changes rows with change_id > `change_id`, in order, labels as dicts."""
        w = self._warehouse
        statement = (sql.select_as_text(w.quote, w.table(PICKLIST_CHANGES.name), PICKLIST_CHANGES.schema)
                     + " WHERE change_id > :after ORDER BY change_id")
        rows = [dict(row) for row in self._conn.execute(text(statement), {"after": change_id}).mappings()]
        for row in rows:
            row["labels"] = None if row["labels"] is None else json.loads(row["labels"])
        return rows

    def _write(self, spec: TableSpec, rows: list[dict[str, Any]], upsert: bool = True) -> None:
        """Append, or upsert by key without ever overwriting `first_seen_at`."""
        if not rows:
            return
        w = self._warehouse
        staged = w.stage(self._conn, spec.schema, to_arrow(spec, rows))
        target, names = w.table(spec.name), spec.schema.names
        if not upsert:
            self._conn.exec_driver_sql(sql.insert_select(w.quote, target, staged, names))
        elif spec.primary_key:
            self._conn.exec_driver_sql(sql.upsert_select(w.quote, target, staged, names, spec.key,
                                                         keep=("first_seen_at",)))
        else:
            self._upsert_logical(spec, staged)

    def _upsert_logical(self, spec: TableSpec, staged: str) -> None:
        """Upsert by a key that may hold NULLs: stored rows of the staged keys are replaced, keeping their
        `first_seen_at`."""
        w, q = self._warehouse, self._warehouse.quote
        target = w.table(spec.name)
        match = " AND ".join(f"t.{q(k)} IS NOT DISTINCT FROM s.{q(k)}" for k in spec.key)
        carried = ", ".join(f"COALESCE(t.{q(n)}, s.{q(n)}) AS {q(n)}" if n == "first_seen_at" else f"s.{q(n)}"
                            for n in spec.schema.names)
        merged = q(f"_merged_{token_hex(6)}")
        self._conn.exec_driver_sql(f"CREATE TEMP TABLE {merged} AS SELECT {carried} FROM {staged} s "
                                   f"LEFT JOIN {target} t ON {match}")
        gone = " AND ".join(f"{target}.{q(k)} IS NOT DISTINCT FROM s.{q(k)}" for k in spec.key)
        self._conn.exec_driver_sql(f"DELETE FROM {target} WHERE EXISTS (SELECT 1 FROM {staged} s WHERE {gone})")
        self._conn.exec_driver_sql(sql.insert_select(q, target, merged, spec.schema.names))
        self._conn.exec_driver_sql(f"DROP TABLE {merged}")


def migrate(warehouse: Warehouse, conn: Connection, spec: TableSpec) -> None:
    """Rebuild a picklist table created before `source` / `table_column` (and `note`) with today's columns,
    in the caller's transaction; nothing when the table is missing or current. DuckDB cannot drop a
    primary key, so both dialects rebuild: rename, create, copy, drop."""
    present = [r[0] for r in conn.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = :s AND table_name = :t"),
        {"s": warehouse.schema, "t": spec.name}).fetchall()]
    if not present or set(spec.schema.names) <= set(present):
        return
    q = warehouse.quote
    old = f"{spec.name}__before_source"
    conn.exec_driver_sql(f"ALTER TABLE {warehouse.table(spec.name)} RENAME TO {q(old)}")
    warehouse.create_in(conn, spec.name, spec.schema, spec.key if spec.primary_key else ())
    kept = [n for n in spec.schema.names if n in present]
    added = {"source": "'attribute_option'"}
    names = kept + [n for n in added if n not in present]
    values = ", ".join([q(n) for n in kept] + [added[n] for n in added if n not in present])
    conn.exec_driver_sql(f"INSERT INTO {warehouse.table(spec.name)} ({sql.column_list(q, names)}) "
                         f"SELECT {values} FROM {warehouse.table(old)}")
    conn.exec_driver_sql(f"DROP TABLE {warehouse.table(old)}")


def feed_epoch(warehouse: Warehouse, conn: Connection) -> str:
    """The warehouse's feed epoch (picklist_feed_epoch), made on first use, inside `conn`'s transaction.

    It never changes: a rebuilt warehouse, whose change_ids start again at 1, gets a new one, so a
    consumer holding a position of the old feed is told so instead of reading nothing."""
    table = warehouse.table(PICKLIST_FEED_EPOCH.name)
    found = conn.exec_driver_sql(f"SELECT epoch FROM {table} ORDER BY created_at, epoch LIMIT 1").scalar()
    if found is not None:
        return str(found)
    epoch = str(uuid.uuid4())
    conn.execute(text(f"INSERT INTO {table} (epoch, created_at) VALUES (:epoch, :at)"),
                 {"epoch": epoch, "at": datetime.now(UTC)})
    return epoch


def change_parts_high_water(parquet_dir: Path) -> int:
    """Highest change_id already in the picklist_changes Parquet dataset (0 when empty)."""
    root = Path(parquet_dir) / PICKLIST_CHANGES.name
    ids = [int(m.group(2)) for p in root.glob("run=*/part-*.parquet") if (m := _PART.match(p.name))]
    return max(ids, default=0)


def write_change_part(parquet_dir: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """One run's committed changes (consecutive change_ids) as one part of the picklist_changes dataset."""
    directory = ParquetDataset(Path(parquet_dir), PICKLIST_CHANGES.name).run_dir(rows[0]["run_id"])
    name = f"part-{rows[0]['change_id']:020d}-{rows[-1]['change_id']:020d}.parquet"
    return write_file(directory / name, to_arrow(PICKLIST_CHANGES, rows))
