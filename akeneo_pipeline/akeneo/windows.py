"""Split an `updated` range into disjoint windows of roughly equal item counts.

Akeneo's `updated` filter has one-second resolution and its docs do not say whether
BETWEEN includes its ends, so windows use only the strict operators: a window is
the half-open range of whole seconds [start, end), sent as `> start-1` and `< end`.
Adjacent windows share a boundary second number but no second, and their union is
exactly the requested range, however many items share one second.

Windows are found by bisecting time and counting each half (`with_count`); a dense
second cannot be split further and simply becomes one window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

# Lowest second considered when bisecting an open start; no PIM predates it.
EARLIEST = int(datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())


@dataclass(frozen=True)
class Window:
    """Items whose `updated` second s satisfies start <= s < end; None is unbounded."""

    start: int | None = None
    end: int | None = None

    def contains(self, second: int) -> bool:
        return (self.start is None or second >= self.start) and (self.end is None or second < self.end)

    def conditions(self) -> list[dict[str, str]]:
        """The `updated` conditions of Akeneo's `search` filter for this window."""
        conditions = []
        if self.start is not None:
            conditions.append({"operator": ">", "value": format_second(self.start - 1)})
        if self.end is not None:
            conditions.append({"operator": "<", "value": format_second(self.end)})
        return conditions


def format_second(second: int) -> str:
    """`YYYY-MM-DD hh:mm:ss` in UTC, the form the product filters take."""
    return datetime.fromtimestamp(second, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def range_window(updated_after: datetime | None, updated_before: datetime | None) -> Window:
    """`updated_after < updated < updated_before` for items stamped in whole seconds."""
    start = math.floor(_utc(updated_after).timestamp()) + 1 if updated_after else None
    end = math.ceil(_utc(updated_before).timestamp()) if updated_before else None
    return Window(start, end)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime (UTC)")
    return moment.astimezone(timezone.utc)


def split_window(
    window: Window,
    total: int,
    count: Callable[[Window], int],
    *,
    target: int,
    latest: int,
    max_probes: int = 48,
) -> list[Window]:
    """Partition `window` (holding `total` items) into windows of about `target` items.

    `latest` bounds an open end for bisection (the server's clock: nothing is newer);
    the last window keeps its open end so items edited during the run still match.
    Counts are estimates (the catalog may change meanwhile); the partition is exact.
    """
    probes = [max_probes]
    leaves: list[tuple[Window, int]] = []

    def bisect(w: Window, n: int) -> None:
        lo = w.start if w.start is not None else min(EARLIEST, latest)
        hi = w.end if w.end is not None else latest + 1
        if n <= target or hi - lo <= 1 or probes[0] <= 0:
            leaves.append((w, n))
            return
        mid = lo + (hi - lo) // 2
        left, right = Window(w.start, mid), Window(mid, w.end)
        probes[0] -= 1
        n_left = min(count(left), n)
        bisect(left, n_left)
        bisect(right, n - n_left)

    bisect(window, total)
    return merge_small(leaves, target)


def merge_small(leaves: list[tuple[Window, int]], target: int) -> list[Window]:
    """Join neighbouring windows while they stay within `target` (empty ones vanish)."""
    merged: list[tuple[Window, int]] = []
    for w, n in leaves:
        if merged and merged[-1][1] + n <= target:
            prev, prev_n = merged[-1]
            merged[-1] = (Window(prev.start, w.end), prev_n + n)
        else:
            merged.append((w, n))
    return [w for w, _ in merged]
