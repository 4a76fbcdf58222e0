"""The picklist tables, written once: the change log and the value sets a target holds.

`picklist_current` doubles as the previous snapshot: its active rows are what
the last committed run saw, so there is no second copy to drift. An attribute
with no options is still a select attribute, so `picklist_attributes`
remembers the attributes themselves. Rows are only written when they change,
so a nightly run with no change writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from akeneo_pipeline.storage.schemas import TIMESTAMP, TableSpec, is_json, json_field

_S, _B, _I = pa.string(), pa.bool_(), pa.int64()

PICKLIST_CHANGES = TableSpec("picklist_changes", pa.schema([
    pa.field("change_id", _I, nullable=False),
    pa.field("detected_at", TIMESTAMP),
    pa.field("run_id", _S),
    pa.field("attribute_code", _S),
    pa.field("option_code", _S),
    pa.field("change_type", _S),
    pa.field("locale", _S),
    pa.field("old_label", _S),
    pa.field("new_label", _S),
    pa.field("old_sort_order", _I),
    pa.field("new_sort_order", _I),
    json_field("labels"),
]), ("change_id",))

PICKLIST_CURRENT = TableSpec("picklist_current", pa.schema([
    pa.field("attribute_code", _S),
    pa.field("option_code", _S),
    pa.field("sort_order", _I),
    json_field("labels"),
    pa.field("active", _B),
    pa.field("first_seen_at", TIMESTAMP),
    pa.field("changed_at", TIMESTAMP),
    pa.field("removed_at", TIMESTAMP),
    pa.field("last_change_id", _I),
]), ("attribute_code", "option_code"))

PICKLIST_ATTRIBUTES = TableSpec("picklist_attributes", pa.schema([
    pa.field("attribute_code", _S),
    pa.field("attribute_type", _S),
    pa.field("active", _B),
    pa.field("first_seen_at", TIMESTAMP),
    pa.field("changed_at", TIMESTAMP),
    pa.field("removed_at", TIMESTAMP),
]), ("attribute_code",))

PICKLIST_TABLES: tuple[TableSpec, ...] = (PICKLIST_CHANGES, PICKLIST_CURRENT, PICKLIST_ATTRIBUTES)


def to_arrow(spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (JSON columns as Python values) in the spec's exact schema; JSON columns become text."""
    columns = {}
    for f in spec.schema:
        values = [row.get(f.name) for row in rows]
        if is_json(f):
            values = [None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True) for v in values]
        columns[f.name] = pa.array(values, f.type)
    return pa.Table.from_pydict(columns, schema=spec.schema)
