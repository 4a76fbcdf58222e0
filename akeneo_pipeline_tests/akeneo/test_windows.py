"""Window planning: disjoint, contiguous, exactly the requested range, balanced when it can be."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from akeneo_pipeline.akeneo.window_queue import WindowQueue
from akeneo_pipeline.akeneo.windows import Window, format_second, range_window
from akeneo_pipeline_tests.fixtures.zones import HOUR, ZONES

DAY = 86_400
NOW = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())


def plan(stamps: list[int], window: Window, target: int, max_probes: int = 64, ways: int = 2) -> list[Window]:
    """The windows the reader's queue hands out (one worker here), in time order."""
    def count(w: Window) -> int:
        return sum(1 for s in stamps if w.contains(s))

    queue = WindowQueue(window, count(window), count, target=target, latest=NOW, max_probes=max_probes, ways=ways)
    return sorted(queue, key=lambda w: -1 if w.start is None else w.start)


def assert_partition(windows: list[Window], whole: Window, stamps: list[int]) -> None:
    assert windows[0].start == whole.start
    assert windows[-1].end == whole.end
    for left, right in pairwise(windows):
        assert left.end == right.start, (left, right)
        assert left.end is not None
    for s in stamps:
        owners = [w for w in windows if w.contains(s)]
        assert len(owners) == (1 if whole.contains(s) else 0), s


def test_spread_stamps_split_into_balanced_windows() -> None:
    rng = random.Random(3)
    stamps = [NOW - rng.randrange(200 * DAY) for _ in range(5000)]
    windows = plan(stamps, Window(), target=500)
    assert_partition(windows, Window(), stamps)
    sizes = [sum(1 for s in stamps if w.contains(s)) for w in windows]
    assert len(windows) >= 10
    assert max(sizes) <= 500


@pytest.mark.parametrize("ways", [2, 4, 8])
def test_one_round_of_counts_sizes_several_windows_and_empty_time_costs_none(ways: int) -> None:
    """Two bursts of edits a year apart, nothing between or before them: no window is empty,
    none exceeds the target, and few counts were spent for it."""
    rng = random.Random(7)
    stamps = ([NOW - 400 * DAY + rng.randrange(20 * DAY) for _ in range(3000)]
              + [NOW - rng.randrange(30 * DAY) for _ in range(3000)])
    probes = 0

    def count(w: Window) -> int:
        nonlocal probes
        probes += 1
        return sum(1 for s in stamps if w.contains(s))

    queue = WindowQueue(Window(), len(stamps), count, target=500, latest=NOW, ways=ways)
    windows = sorted(queue, key=lambda w: -1 if w.start is None else w.start)
    assert_partition(windows, Window(), stamps)
    sizes = [sum(1 for s in stamps if w.contains(s)) for w in windows]
    assert min(sizes) > 0 and max(sizes) <= 500
    assert len(windows) <= 2 * len(stamps) // 500
    assert probes <= 3 * len(windows)


def test_a_round_of_counts_is_sent_side_by_side() -> None:
    import threading

    stamps = list(range(NOW - 100_000, NOW, 10))
    in_flight = most = 0
    lock = threading.Lock()

    def count(w: Window) -> int:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return sum(1 for s in stamps if w.contains(s))

    queue = WindowQueue(Window(NOW - 100_000, NOW), len(stamps), count, target=2_500, latest=NOW, ways=4)
    windows = list(queue)
    assert most == 3  # one span cut in 4 pieces: its 3 counts at once
    assert sorted(sum(1 for s in stamps if w.contains(s)) for w in windows) == [2_500] * 4


def test_clustered_second_stays_one_window_and_nothing_is_lost() -> None:
    rng = random.Random(5)
    burst = NOW - 7 * DAY
    stamps = [burst] * 3000 + [burst - 1] * 10 + [burst + 1] * 10 + [NOW - rng.randrange(30 * DAY) for _ in range(800)]
    whole = Window(NOW - 60 * DAY, None)
    windows = plan(stamps, whole, target=300)
    assert_partition(windows, whole, stamps)
    owner = [w for w in windows if w.contains(burst)]
    assert owner[0].start is not None and owner[0].end is not None
    assert owner[0].end - owner[0].start == 1  # the dense second alone: it cannot be split


def test_probe_budget_still_gives_a_partition() -> None:
    stamps = list(range(NOW - 10_000, NOW))
    windows = plan(stamps, Window(), target=10, max_probes=5)
    assert_partition(windows, Window(), stamps)
    assert len(windows) <= 6


def test_window_conditions_use_strict_operators_on_whole_seconds() -> None:
    start = int(datetime(2026, 1, 31, 23, 0, 0, tzinfo=UTC).timestamp())
    w = Window(start, start + 3600)
    assert w.conditions() == [
        {"operator": ">", "value": "2026-01-31 22:59:59"},
        {"operator": "<", "value": "2026-02-01 00:00:00"},
    ]
    assert Window().conditions() == []
    assert format_second(0) == "1970-01-01 00:00:00"


def test_window_conditions_are_written_in_the_server_time_zone() -> None:
    """Akeneo reads filter dates in its server's zone (rest-api_filter.md; PR 8585, PIM-7541)."""
    start = int(datetime(2026, 1, 31, 23, 0, 0, tzinfo=UTC).timestamp())
    w = Window(start, start + 3600)
    assert w.conditions(ZoneInfo("America/New_York")) == [
        {"operator": ">", "value": "2026-01-31 17:59:59"},
        {"operator": "<", "value": "2026-01-31 19:00:00"},
    ]
    summer = int(datetime(2026, 7, 1, 12, tzinfo=UTC).timestamp())
    assert Window(summer, None).conditions(ZoneInfo("Europe/Helsinki")) == [
        {"operator": ">", "value": "2026-07-01 14:59:59"}]


def readings(value: str, zone: ZoneInfo) -> set[int]:
    """Every instant a server in `zone` could take a filter date for (both folds)."""
    wall = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return {int(wall.replace(tzinfo=zone, fold=fold).timestamp()) for fold in (0, 1)}


@pytest.mark.parametrize("label", sorted(ZONES))
def test_bounds_around_dst_transitions_hold_their_second_under_either_reading(label: str) -> None:
    """A lower bound's every reading is at or before its second, an upper bound's at or after,
    for every bound second from two hours before to two hours after each transition: the
    repeated hour of a fall-back is never sent (it moves out, earlier or later), so adjacent
    windows cover their range whichever instant the server picks; nothing is skipped."""
    zone = ZONES[label]
    tz = ZoneInfo(zone.name)
    for transition in (zone.fall_back, zone.spring_forward):
        for second in range(transition - 2 * HOUR, transition + 2 * HOUR + 1, 7):
            lower, upper = Window(second, second + 1).conditions(tz)
            assert max(readings(lower["value"], tz)) <= second - 1, (label, second, lower)
            assert min(readings(upper["value"], tz)) >= second + 1, (label, second, upper)
            assert len(readings(lower["value"], tz)) == len(readings(upper["value"], tz)) == 1
            # and it moves no further than out of the repeated hour
            assert second - 1 - max(readings(lower["value"], tz)) <= 2 * HOUR
            assert min(readings(upper["value"], tz)) - (second + 1) <= 2 * HOUR
    # exactly: the repeated hour's bounds move to its edges
    inside = zone.fall_back + 1_800  # the second occurrence's half past
    lower, upper = Window(inside, inside).conditions(tz)
    assert readings(lower["value"], tz) == {zone.fall_back - HOUR - 1}
    assert readings(upper["value"], tz) == {zone.fall_back + HOUR}
    outside = zone.fall_back + 3 * HOUR
    assert Window(outside, outside).conditions(tz)[0]["value"] == format_second(outside - 1, tz)


def test_range_window_is_exclusive_on_both_ends_at_second_resolution() -> None:
    after = datetime(2026, 1, 1, 10, 0, 0, 700_000, tzinfo=UTC)
    before = datetime(2026, 1, 1, 11, 0, 0, 200_000, tzinfo=UTC)
    w = range_window(after, before)
    base = int(datetime(2026, 1, 1, 10, tzinfo=UTC).timestamp())
    assert not w.contains(base)  # 10:00:00 < after
    assert w.contains(base + 1)
    assert w.contains(base + 3600)  # 11:00:00 < before
    assert not w.contains(base + 3601)
    with pytest.raises(ValueError, match="time zone"):
        range_window(datetime(2026, 1, 1), None)


def test_window_queue_hands_out_an_exact_partition_to_concurrent_workers_largest_first() -> None:
    import threading

    from akeneo_pipeline.akeneo.window_queue import WindowQueue

    rng = random.Random(11)
    stamps = [NOW - rng.randrange(90 * DAY) for _ in range(4000)] + [NOW - 5 * DAY] * 700  # one dense second

    def count(w: Window) -> int:
        time.sleep(0.002)  # a probe is a round trip: the other workers run meanwhile
        return sum(1 for s in stamps if w.contains(s))

    queue = WindowQueue(Window(), len(stamps), count, target=300, latest=NOW)
    taken: list[list[Window]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def work(mine: list[Window]) -> None:
        start.wait()
        mine.extend(queue)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    windows = sorted((w for mine in taken for w in mine), key=lambda w: (w.start is not None, w.start or 0))
    assert_partition(windows, Window(), stamps)
    assert sum(1 for mine in taken if mine) >= 2  # the work was shared
    sizes = [count(w) for w in windows]
    assert max(sizes) == 700  # only the dense second exceeds the target: it cannot be split
    assert sorted(sizes, reverse=True)[1] <= 300


def test_window_queue_raises_a_failed_probe_and_lets_the_other_workers_finish() -> None:
    from akeneo_pipeline.akeneo.window_queue import WindowQueue

    def count(w: Window) -> int:
        raise RuntimeError("count failed")

    queue = WindowQueue(Window(), 1000, count, target=100, latest=NOW)
    with pytest.raises(RuntimeError, match="count failed"):
        list(queue)
    assert list(queue) == []  # nothing pending, nobody splitting: iteration ends instead of waiting
