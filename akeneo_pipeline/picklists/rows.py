"""Numbered change rows: the one shape shared by the warehouse table, Parquet and the feed.

A row is a plain dict with the feed's field names; `labels` is a dict and
`detected_at` an aware UTC datetime. The table stores labels as JSON text and
the feed writes the datetime in ISO 8601; both convert at their own edge.

Feed version 2 (docs/picklist-feed.md) adds, from the two snapshots the diff compared:
every row's `attribute_type` (Akeneo's type of the attribute), `attribute_added` rows'
`labels` (the attribute's) and `auto_option_sorting`, `relabeled` rows' `labels` (the
option's whole labels after the change) and `added` rows' `reactivated` (the code was
removed before and comes back). `source` is written by the feed (feed.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from akeneo_pipeline.picklists.diff import PicklistChange
from akeneo_pipeline.picklists.snapshot import OptionSnapshot, picklist_key
from akeneo_pipeline.storage import check_run_id  # run ids name Parquet partitions


def utc(moment: datetime) -> datetime:
    """detected_at in UTC; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"detected_at must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def number_changes(
    changes: Sequence[PicklistChange], first_change_id: int, run_id: str, detected_at: datetime, *,
    previous: OptionSnapshot | None, current: OptionSnapshot,
    removed_before: Collection[tuple[str, str]] = (),
    attribute_details: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Give changes consecutive change_ids from first_change_id, in diff order.

    `previous` and `current` are the snapshots the changes were diffed from; `removed_before`
    holds the (attribute, option) codes picklist_current keeps inactive; `attribute_details`
    the attributes' `labels` and `auto_option_sorting` as Akeneo serves them.
    """
    if first_change_id < 1:
        raise ValueError(f"change_ids start at 1, got {first_change_id}")
    run_id, detected_at = check_run_id(run_id), utc(detected_at)
    before = previous.attributes if previous is not None else {}
    details = attribute_details or {}
    rows = []
    for offset, c in enumerate(changes):
        labels = None if c.labels is None else dict(c.labels)
        auto_sorting, reactivated = None, None
        key = picklist_key(c.attribute_code, c.table_column)  # the snapshot's key (table columns: `a/column`)
        if c.change_type == "attribute_added":
            found = details.get(key, {})
            labels, auto_sorting = dict(found.get("labels") or {}), found.get("auto_option_sorting")
        elif c.change_type == "relabeled":
            now = current.option(key, c.option_code or "")
            labels = dict(now.labels) if now is not None else {}
        elif c.change_type == "added":
            reactivated = (c.attribute_code, c.option_code) in removed_before
        rows.append({
            "change_id": first_change_id + offset, "detected_at": detected_at, "run_id": run_id,
            "attribute_code": c.attribute_code, "option_code": c.option_code, "change_type": c.change_type,
            "locale": c.locale, "old_label": c.old_label, "new_label": c.new_label,
            "old_sort_order": c.old_sort_order, "new_sort_order": c.new_sort_order, "labels": labels,
            "attribute_type": current.attributes.get(key) or before.get(key),
            "auto_option_sorting": auto_sorting, "reactivated": reactivated,
            "source": c.source, "table_column": c.table_column,
        })
    return rows
