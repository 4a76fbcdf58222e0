"""Numbered change rows: the one shape shared by the warehouse table, Parquet and the feed.

A row is a plain dict with the feed's field names; `labels` is a dict and
`detected_at` an aware UTC datetime. The table stores labels as JSON text and
the feed writes the datetime in ISO 8601; both convert at their own edge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from akeneo_pipeline.picklists.diff import PicklistChange

CHANGE_FIELDS: tuple[str, ...] = (
    "change_id", "detected_at", "run_id", "attribute_code", "option_code", "change_type",
    "locale", "old_label", "new_label", "old_sort_order", "new_sort_order", "labels",
)
# A run id names a Parquet partition directory (run=<run_id>), so it must be a
# safe path segment; Dagster's run ids (UUIDs) are.
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def check_run_id(run_id: str) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        raise ValueError(
            f"run_id {run_id!r} is not usable: it names a Parquet partition, so it must be "
            "1-128 characters of letters, digits, '_', '.', '-', starting with a letter or digit"
        )
    return run_id


def utc(moment: datetime) -> datetime:
    """detected_at in UTC; a naive datetime is refused rather than guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"detected_at must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(timezone.utc)


def number_changes(
    changes: Sequence[PicklistChange], first_change_id: int, run_id: str, detected_at: datetime
) -> list[dict[str, Any]]:
    """Give changes consecutive change_ids from first_change_id, in diff order."""
    if first_change_id < 1:
        raise ValueError(f"change_ids start at 1, got {first_change_id}")
    run_id, detected_at = check_run_id(run_id), utc(detected_at)
    rows = []
    for offset, change in enumerate(changes):
        row = asdict(change)
        if row["labels"] is not None:
            row["labels"] = dict(row["labels"])
        row.update(change_id=first_change_id + offset, detected_at=detected_at, run_id=run_id)
        rows.append({name: row[name] for name in CHANGE_FIELDS})
    return rows
