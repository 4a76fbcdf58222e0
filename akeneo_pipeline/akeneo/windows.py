"""Split an `updated` (or `created`) range into disjoint windows of roughly equal item counts.

Akeneo's `updated` and `created` filters have one-second resolution and its docs do
not say whether BETWEEN includes its ends, so windows use only the strict operators: a window is
the half-open range of whole seconds [start, end), sent as `> start-1` and `< end`.
Adjacent windows share a boundary second number but no second, and their union is
exactly the requested range, however many items share one second.

Windows are found by cutting time and counting each piece (`with_count`, several counts of
one round side by side, `split`); adjacent pieces merge into one window while they hold at
most the target together, and a dense second cannot be split further and simply becomes one
window.

Window bounds are whole UTC seconds; only the filter values are local times. Akeneo reads
`YYYY-MM-DD hh:mm:ss` in the server's own time zone (rest-api_filter.md: "dates are
interpreted in the time zone of the server that runs Akeneo (e.g. date.timezone setting in
php.ini)", UTC on SaaS; pim-community-dev PR 8585, PIM-7541: ApplyProductSearchQueryParametersToPQB
builds the date with `DateTime::createFromFormat('Y-m-d H:i:s', $value)`, in the server's
default zone, and the Elasticsearch DateTimeFilter compares it in UTC). So values are written in
AKENEO_TIMEZONE. A local time that a daylight-saving fall-back repeats names two instants;
PHP takes the first (wiki.php.net/rfc/datetime_and_daylight_saving_time), but nothing here
relies on it: a bound is never sent as such a time. A lower bound moves earlier to the last
second before the repeated hour, an upper bound later to the first second after it, so a
window may re-read that hour and never misses a second of it, whichever reading the server
takes; adjacent windows still cover their whole range together. A time a spring-forward
skips is never written: every value is the local time of a real instant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import partial
from itertools import pairwise

# Lowest second considered when splitting an open start; no PIM predates it.
EARLIEST = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Window:
    """Items whose `updated` (or `created`) second s satisfies start <= s < end; None is unbounded."""

    start: int | None = None
    end: int | None = None

    def contains(self, second: int) -> bool:
        return (self.start is None or second >= self.start) and (self.end is None or second < self.end)

    def conditions(self, zone: tzinfo = UTC) -> list[dict[str, str]]:
        """This window's conditions in Akeneo's `search` filter, for `updated` or `created` alike,
        written in the server's time zone: every second of the window matches, whichever
        instant the server takes a repeated local time for."""
        conditions = []
        if self.start is not None:
            conditions.append({"operator": ">", "value": format_second(unambiguous_at_or_before(self.start - 1, zone),
                                                                       zone)})
        if self.end is not None:
            conditions.append({"operator": "<", "value": format_second(unambiguous_at_or_after(self.end, zone), zone)})
        return conditions


def format_second(second: int, zone: tzinfo = UTC) -> str:
    """`YYYY-MM-DD hh:mm:ss`, the form the product filters take, as a wall clock in `zone` shows `second`."""
    return datetime.fromtimestamp(second, tz=zone).strftime("%Y-%m-%d %H:%M:%S")


def ambiguous(second: int, zone: tzinfo) -> bool:
    """Whether the local time of `second` in `zone` also names another instant (a fall-back repeats it)."""
    wall = datetime.fromtimestamp(second, tz=zone)
    return wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset()


def _fold_width(second: int, zone: tzinfo) -> int:
    wall = datetime.fromtimestamp(second, tz=zone)
    first, second_reading = wall.replace(fold=0).utcoffset(), wall.replace(fold=1).utcoffset()
    assert first is not None and second_reading is not None
    return int(abs((first - second_reading).total_seconds()))


def unambiguous_at_or_before(second: int, zone: tzinfo) -> int:
    """The latest second at or before `second` whose local time names one instant only."""
    while ambiguous(second, zone):
        # The repeated hour spans [t - w, t + w) around the fall-back t; 2w earlier is before it.
        lo, hi = second - 2 * _fold_width(second, zone), second  # lo unambiguous, hi ambiguous
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if ambiguous(mid, zone) else (mid, hi)
        second = lo
    return second


def unambiguous_at_or_after(second: int, zone: tzinfo) -> int:
    """The earliest second at or after `second` whose local time names one instant only."""
    while ambiguous(second, zone):
        lo, hi = second, second + 2 * _fold_width(second, zone)  # lo ambiguous, hi past the repeated hour
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if ambiguous(mid, zone) else (lo, mid)
        second = hi
    return second


def range_window(updated_after: datetime | None, updated_before: datetime | None) -> Window:
    """`updated_after < updated < updated_before` for items stamped in whole seconds."""
    start = math.floor(_utc(updated_after).timestamp()) + 1 if updated_after else None
    end = math.ceil(_utc(updated_before).timestamp()) if updated_before else None
    return Window(start, end)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime (UTC)")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Span:
    """A window, its (estimated) item count, and the seconds [lo, hi) splitting still searches.

    `lo`/`hi` can be narrower than the window: when a round of counts finds stretches of it
    empty, they stay in the window (no extra window to read) and only the search narrows.
    """

    window: Window
    items: int
    lo: int
    hi: int

    @classmethod
    def of(cls, window: Window, items: int, latest: int) -> Span:
        lo = window.start if window.start is not None else min(EARLIEST, latest)
        hi = window.end if window.end is not None else latest + 1
        return cls(window, items, lo, hi)

    def splittable(self, target: int) -> bool:
        return self.items > target and self.hi - self.lo > 1


Counts = Callable[[Sequence[Callable[[], int]]], list[int]]


def cut_points(span: Span, parts: int) -> list[int]:
    """Up to `parts - 1` distinct seconds strictly inside the span's search range, ascending.

    Even cuts, except for an open start searched from EARLIEST, which is cut towards its
    recent end at halving distances (1/2, 1/4, ... of the width before it): one round of
    counts then skips the empty years and still spreads over the recent ones.
    """
    lo, hi = span.lo, span.hi
    width = hi - lo
    if span.window.start is None and lo <= EARLIEST:
        cuts = {hi - (width >> j) for j in range(1, parts)}
    else:
        cuts = {lo + width * j // parts for j in range(1, parts)}
    return sorted(c for c in cuts if lo < c < hi)


def split(span: Span, count: Callable[[Window], int], parts: int, target: int,
          counts: Counts | None = None) -> list[Span]:
    """Cut the span in up to `parts` pieces with one round of counts (run side by side by
    `counts`), then merge adjacent pieces while they hold at most `target` items together:
    one round of counts sizes several windows, and empty or small stretches of time join a
    neighbour instead of costing a window (a request for a last, partly filled page) each.

    A piece still above `target` comes back as a span of its own, searched only where its
    items are, and is split again later. The spans returned partition the span's window.
    """
    w = span.window
    cuts = cut_points(span, max(2, parts))
    if not cuts:
        return [span]
    thunks = [partial(count, Window(w.start, cut)) for cut in cuts]
    counted = counts(thunks) if counts is not None else [thunk() for thunk in thunks]
    cumulative, before = [], 0
    for n in counted:  # counts are estimates (the catalog may change meanwhile): keep them monotone
        before = min(max(before, n), span.items)
        cumulative.append(before)
    sizes = [b - a for a, b in pairwise([0, *cumulative, span.items])]
    bounds = [span.lo, *cuts, span.hi]
    groups: list[list[int]] = [[]]  # piece indexes, adjacent
    held = 0
    for i, size in enumerate(sizes):
        if size and held and held + size > target:
            groups.append([])
            held = 0
        groups[-1].append(i)
        held += size
    if len(groups) > 1 and not any(sizes[i] for i in groups[-1]):
        groups[-2].extend(groups.pop())  # trailing empty time joins the last window that holds items
    out = []
    for n, group in enumerate(groups):
        start = w.start if n == 0 else bounds[group[0]]
        end = w.end if n == len(groups) - 1 else bounds[group[-1] + 1]
        full = [i for i in group if sizes[i]] or group
        out.append(Span(Window(start, end), sum(sizes[i] for i in group), bounds[full[0]], bounds[full[-1] + 1]))
    return out
