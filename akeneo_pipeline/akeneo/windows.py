"""Split an `updated` (or `created`) range into disjoint windows of roughly equal item counts.

Akeneo's `updated` and `created` filters have one-second resolution and its docs do
not say whether BETWEEN includes its ends, so windows use only the strict operators: a window is
the half-open range of whole seconds [start, end), sent as `> start-1` and `< end`.
Adjacent windows share a boundary second number but no second, and their union is
exactly the requested range, however many items share one second.

Windows are found by bisecting time and counting each half (`with_count`); a dense
second cannot be split further and simply becomes one window.

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

# Lowest second considered when bisecting an open start; no PIM predates it.
EARLIEST = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())
# An open-start span is cut this fraction of its width before its end (see `bisect`).
OPEN_START_CUT = 8


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
    """A window, its (estimated) item count, and the seconds [lo, hi) bisection still searches.

    `lo`/`hi` can be narrower than the window: when a probe finds one half empty the
    window is kept whole (no extra window to read) and only the search narrows.
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


def bisect(span: Span, count: Callable[[Window], int]) -> list[Span]:
    """One probe: the span's two parts, or the span itself searched in one part if the other is empty.

    An open start is searched from EARLIEST (decades before most catalogs), so it is cut
    near its recent end: one probe then skips most of the empty years, where halving
    would spend one probe per halving with every other worker waiting.
    """
    w = span.window
    width = span.hi - span.lo
    mid = span.hi - max(1, width // OPEN_START_CUT) if w.start is None else span.lo + width // 2
    left = min(count(Window(w.start, mid)), span.items)
    if left == 0:
        return [Span(w, span.items, mid, span.hi)]
    if left == span.items:
        return [Span(w, span.items, span.lo, mid)]
    return [Span(Window(w.start, mid), left, span.lo, mid), Span(Window(mid, w.end), span.items - left, mid, span.hi)]
