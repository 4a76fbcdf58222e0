"""Numbered change rows: the one shape shared by the warehouse table, Parquet and the feed.

A row is a plain dict with the feed's field names; `labels` is a dict and
`detected_at` an aware UTC datetime. The table stores labels as JSON text and
the feed writes the datetime in ISO 8601; both convert at their own edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from akeneo_pipeline.picklists.diff import PicklistChange
from akeneo_pipeline.storage import check_run_id  # run ids name Parquet partitions


def utc(moment: datetime) -> datetime:
    """detected_at in UTC; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"detected_at must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def number_changes(
    changes: Sequence[PicklistChange], first_change_id: int, run_id: str, detected_at: datetime
) -> list[dict[str, Any]]:
    """Give changes consecutive change_ids from first_change_id, in diff order."""
    if first_change_id < 1:
        raise ValueError(f"change_ids start at 1, got {first_change_id}")
    run_id, detected_at = check_run_id(run_id), utc(detected_at)
    return [
        {
            "change_id": first_change_id + offset, "detected_at": detected_at, "run_id": run_id,
            "attribute_code": c.attribute_code, "option_code": c.option_code, "change_type": c.change_type,
            "locale": c.locale, "old_label": c.old_label, "new_label": c.new_label,
            "old_sort_order": c.old_sort_order, "new_sort_order": c.new_sort_order,
            "labels": None if c.labels is None else dict(c.labels),
            "source": c.source, "table_column": c.table_column,
        }
        for offset, c in enumerate(changes)
    ]
