"""Keep each item once when Akeneo returns it for its parent's sake.

Akeneo returns a variant product when its parent model matches the `updated` filter,
even if the product's own `updated` is older. Read as several windows, such a
product comes back from its own window and from its parent's. The rule that keeps
the union equal to one sequential read: an item belongs to the window holding its
own `updated`; an item whose own `updated` lies outside the whole range (it is there
only for a parent) is kept the first time it is seen.

This relies on the filter values and the items' stamps sharing a clock (UTC, as on
SaaS). An item stamped with another UTC offset switches the guard to keep-everything:
a duplicate is removed downstream by key, a dropped item would be lost.
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime
from typing import Any

from akeneo_pipeline.akeneo.windows import Window

log = logging.getLogger("akeneo_pipeline.akeneo")


def updated_second(item: dict[str, Any]) -> tuple[int, bool] | None:
    """(epoch second of `updated`, whether it is stamped in UTC), or None if unreadable."""
    raw = item.get("updated")
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return math.floor(moment.timestamp()), False
    return math.floor(moment.timestamp()), moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


class ParentMatchGuard:
    """Shared by the windows of one read; thread-safe."""

    def __init__(self, overall: Window, key: str) -> None:
        self.overall = overall
        self.key = key
        self._lock = threading.Lock()
        self._outside_seen: set[Any] = set()
        self._keep_all = False

    def keep(self, page: list[dict[str, Any]], window: Window) -> list[dict[str, Any]]:
        return [item for item in page if self._keep(item, window)]

    def _keep(self, item: dict[str, Any], window: Window) -> bool:
        stamp = updated_second(item)
        if stamp is None:
            return True
        second, in_utc = stamp
        if not in_utc and not self._keep_all:
            log.warning(
                "Akeneo stamps `updated` as %r, not in UTC; windowed reads may return an item "
                "twice (removed downstream by key)", item.get("updated"),
            )
            self._keep_all = True
        if self._keep_all or window.contains(second):
            return True
        if self.overall.contains(second):
            return False  # its own window returns it
        with self._lock:
            key = item.get(self.key)
            if key in self._outside_seen:
                return False
            self._outside_seen.add(key)
            return True
