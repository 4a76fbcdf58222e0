"""Between the picklist tables and snapshots: read the last committed state, compute what to write.

Pure functions over rows, so the rules (removed options stay, inactive;
re-added options come back active; nothing unchanged is rewritten) are
testable without a warehouse. Only active options are read back: inactive
rows are history, not part of the previous snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from akeneo_pipeline.picklists.snapshot import (
    REFERENCE_DATA_NOTE,
    REFERENCE_DATA_TYPES,
    OptionSnapshot,
    OptionState,
    picklist_key,
    source_of,
    split_key,
)


def previous_snapshot(
    attribute_rows: Iterable[Sequence[Any]], option_rows: Iterable[Sequence[Any]]
) -> OptionSnapshot | None:
    """The snapshot the last committed run saw, or None before any run (the baseline).

    `attribute_rows` are (attribute_code, attribute_type, active[, table_column]) for every
    picklist ever seen; `option_rows` are (attribute_code, option_code, sort_order, labels[,
    table_column]) for the active options only, labels as JSON text or a dict.
    """
    attribute_rows = list(attribute_rows)
    if not attribute_rows:
        return None
    attributes = {picklist_key(code, *rest[:1]): kind for code, kind, active, *rest in attribute_rows if active}
    options: dict[str, dict[str, OptionState]] = {code: {} for code in attributes}
    for attribute_code, option_code, sort_order, labels, *rest in option_rows:
        siblings = options.get(picklist_key(attribute_code, *rest[:1]))
        if siblings is not None:
            siblings[option_code] = OptionState(sort_order, _labels(labels))
    return OptionSnapshot(attributes, options)


def attribute_updates(
    previous: OptionSnapshot | None, current: OptionSnapshot, detected_at: datetime
) -> list[dict[str, Any]]:
    """picklist_attributes rows to upsert: attributes that appeared, came back or stopped being select.

    `first_seen_at` is only kept for new rows: the upsert never overwrites it.
    """
    before = previous.attributes if previous is not None else {}
    updates = []
    for code in sorted(before.keys() | current.attributes.keys()):
        old, new = before.get(code), current.attributes.get(code)
        if old == new:
            continue
        attribute_code, table_column = split_key(code, new or old)
        updates.append({
            "attribute_code": attribute_code, "attribute_type": new or old, "active": new is not None,
            "first_seen_at": detected_at, "changed_at": detected_at,
            "removed_at": None if new is not None else detected_at,
            "source": source_of(new or old), "table_column": table_column,
            "note": REFERENCE_DATA_NOTE if (new or old) in REFERENCE_DATA_TYPES else None,
        })
    return updates


def option_updates(
    previous: OptionSnapshot | None,
    current: OptionSnapshot,
    change_rows: Sequence[Mapping[str, Any]],
    detected_at: datetime,
) -> list[dict[str, Any]]:
    """picklist_current rows to upsert: every option whose state differs from the last run's.

    A removed option keeps its last labels and sort order, inactive. `first_seen_at`
    is only kept for new rows: the upsert never overwrites it.
    """
    before = previous or OptionSnapshot()
    last_change = {(picklist_key(r["attribute_code"], r.get("table_column")), r["option_code"]): r["change_id"]
                   for r in change_rows if r["option_code"]}
    updates = []
    for attribute_code in sorted(before.options.keys() | current.options.keys()):
        old_options = before.options.get(attribute_code, {})
        new_options = current.options.get(attribute_code, {})
        if old_options == new_options:
            continue
        kind = current.attributes.get(attribute_code) or before.attributes.get(attribute_code)
        plain_code, table_column = split_key(attribute_code, kind)
        for option_code in sorted(old_options.keys() | new_options.keys()):
            old, new = old_options.get(option_code), new_options.get(option_code)
            if old == new:
                continue
            state = new if new is not None else old
            assert state is not None
            updates.append({
                "attribute_code": plain_code, "table_column": table_column, "source": source_of(kind),
                "option_code": option_code,
                "sort_order": state.sort_order, "labels": dict(state.labels), "active": new is not None,
                "first_seen_at": detected_at, "changed_at": detected_at,
                "removed_at": None if new is not None else detected_at,
                "last_change_id": last_change.get((attribute_code, option_code)),
            })
    return updates


def _labels(value: Any) -> dict[str, str]:
    """Labels as stored: JSON text (or a dict, as some drivers parse JSON themselves)."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value)
