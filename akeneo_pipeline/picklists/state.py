"""Between the picklist tables and snapshots: read the last committed state, compute what to write.

Pure functions over row dicts, so the rules (removed options stay, inactive;
re-added options come back active; nothing unchanged is rewritten) are
testable without a warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from akeneo_pipeline.picklists.snapshot import OptionSnapshot, OptionState

Key = tuple[str, str]


def previous_snapshot(
    attribute_rows: Iterable[Mapping[str, Any]], option_rows: Iterable[Mapping[str, Any]]
) -> OptionSnapshot | None:
    """The snapshot the last committed run saw: the active rows. None before any run (baseline)."""
    attribute_rows, option_rows = list(attribute_rows), list(option_rows)
    if not attribute_rows and not option_rows:
        return None
    attributes = {row["attribute_code"]: row["attribute_type"] for row in attribute_rows if row["active"]}
    options: dict[str, dict[str, OptionState]] = {code: {} for code in attributes}
    for row in option_rows:
        if row["active"] and row["attribute_code"] in options:
            options[row["attribute_code"]][row["option_code"]] = OptionState(row["sort_order"], _labels(row["labels"]))
    return OptionSnapshot(attributes, options)


def attribute_updates(
    previous_rows: Mapping[str, Mapping[str, Any]], current: OptionSnapshot, detected_at: datetime
) -> list[dict[str, Any]]:
    """picklist_attributes rows to upsert: attributes that appeared, came back or stopped being select."""
    updates = []
    for code in sorted(previous_rows.keys() | current.attributes.keys()):
        before, kind = previous_rows.get(code), current.attributes.get(code)
        was_active = bool(before and before["active"])
        if kind is not None and (not was_active or before["attribute_type"] != kind):
            updates.append({
                "attribute_code": code, "attribute_type": kind, "active": True,
                "first_seen_at": before["first_seen_at"] if before else detected_at,
                "changed_at": detected_at, "removed_at": None,
            })
        elif kind is None and was_active:
            updates.append({**before, "active": False, "changed_at": detected_at, "removed_at": detected_at})
    return updates


def option_updates(
    previous_rows: Mapping[Key, Mapping[str, Any]],
    previous: OptionSnapshot | None,
    current: OptionSnapshot,
    change_rows: Sequence[Mapping[str, Any]],
    detected_at: datetime,
) -> list[dict[str, Any]]:
    """picklist_current rows to upsert: every option whose state differs from the last run's."""
    before = previous or OptionSnapshot()
    last_change = {(r["attribute_code"], r["option_code"]): r["change_id"] for r in change_rows if r["option_code"]}
    updates = []
    for attribute_code in sorted(before.options.keys() | current.options.keys()):
        old_options = before.options.get(attribute_code, {})
        new_options = current.options.get(attribute_code, {})
        if old_options == new_options:
            continue
        for option_code in sorted(old_options.keys() | new_options.keys()):
            old, new = old_options.get(option_code), new_options.get(option_code)
            if old == new:
                continue
            key = (attribute_code, option_code)
            row = dict(previous_rows.get(key) or {"attribute_code": attribute_code, "option_code": option_code,
                                                  "first_seen_at": detected_at})
            row.update(changed_at=detected_at, last_change_id=last_change.get(key, row.get("last_change_id")))
            if new is None:
                row.update(active=False, removed_at=detected_at)
            else:
                row.update(active=True, removed_at=None, sort_order=new.sort_order, labels=dict(new.labels))
            row["labels"] = _labels(row.get("labels"))
            updates.append(row)
    return updates


def _labels(value: Any) -> dict[str, str]:
    """Labels as stored: a dict already (DuckDB may parse JSON) or JSON text."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value)
