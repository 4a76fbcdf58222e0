"""The small tables downstream of the picklist feed: the impact kept per change id and the
Salesforce target's positions (the feed's epoch is in picklist_tables.py). Each function opens
its own transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from akeneo_pipeline.storage import impact
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.picklist_tables import to_arrow
from akeneo_pipeline.storage.schemas import (
    PICKLIST_CHANGE_IMPACT,
    SALESFORCE_POSITIONS,
    TableSpec,
)
from akeneo_pipeline.storage.warehouse import Warehouse


def record_change_impact(warehouse: Warehouse, first_change_id: int, last_change_id: int) -> list[dict[str, Any]]:
    """Count what the option changes in [first, last] touch now and keep the counts per change id
    (a change counted again gets its new counts)."""
    rows = impact.change_impact(warehouse, first_change_id, last_change_id)
    at = datetime.now(UTC)
    with warehouse.begin("record picklist change impact") as conn:
        _upsert(warehouse, conn, PICKLIST_CHANGE_IMPACT, [{**row, "counted_at": at} for row in rows])
    return rows


def change_impact_after(warehouse: Warehouse, change_id: int) -> list[dict[str, Any]]:
    """The kept impact of every change after `change_id`, in change_id order."""
    table = warehouse.table(PICKLIST_CHANGE_IMPACT.name)
    return warehouse.query(f"SELECT change_id, attribute_code, option_code, change_type, product_count, "
                           f"product_model_count, counted_at FROM {table} WHERE change_id > :after "
                           "ORDER BY change_id", {"after": change_id})


def salesforce_positions(warehouse: Warehouse) -> list[dict[str, Any]]:
    table = warehouse.table(SALESFORCE_POSITIONS.name)
    return warehouse.query(f"SELECT attribute_code, target, change_id, mapping_digest, deploy_id FROM {table} "
                           "ORDER BY attribute_code, target")


def record_salesforce_positions(warehouse: Warehouse, rows: Sequence[Mapping[str, Any]]) -> None:
    at = datetime.now(UTC)
    with warehouse.begin("record Salesforce positions") as conn:
        _upsert(warehouse, conn, SALESFORCE_POSITIONS, [{**row, "recorded_at": at} for row in rows])


def _upsert(warehouse: Warehouse, conn: Connection, spec: TableSpec, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    staged = warehouse.stage(conn, spec.schema, to_arrow(spec, rows))
    conn.exec_driver_sql(sql.upsert_select(warehouse.quote, warehouse.table(spec.name), staged, spec.schema.names,
                                           spec.key))


def labels_of(value: Any) -> dict[str, str]:
    """A JSON column as read back (text, or a dict when the driver parsed it)."""
    if value is None:
        return {}
    return dict(json.loads(value) if isinstance(value, str) else value)
