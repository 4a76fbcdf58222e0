"""Window planning: disjoint, contiguous, exactly the requested range, balanced when it can be."""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone

import pytest

from akeneo_pipeline.akeneo.windows import Window, format_second, range_window, split_window

DAY = 86_400
NOW = int(datetime(2026, 3, 1, tzinfo=timezone.utc).timestamp())


def plan(stamps: list[int], window: Window, target: int) -> list[Window]:
    def count(w: Window) -> int:
        return sum(1 for s in stamps if w.contains(s))

    total = count(window)
    return split_window(window, total, count, target=target, latest=NOW)


def assert_partition(windows: list[Window], whole: Window, stamps: list[int]) -> None:
    assert windows[0].start == whole.start
    assert windows[-1].end == whole.end
    for left, right in zip(windows, windows[1:]):
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
    windows = split_window(Window(), len(stamps), lambda w: sum(1 for s in stamps if w.contains(s)),
                           target=10, latest=NOW, max_probes=5)
    assert_partition(windows, Window(), stamps)
    assert len(windows) <= 6


def test_window_conditions_use_strict_operators_on_whole_seconds() -> None:
    start = int(datetime(2026, 1, 31, 23, 0, 0, tzinfo=timezone.utc).timestamp())
    w = Window(start, start + 3600)
    assert w.conditions() == [
        {"operator": ">", "value": "2026-01-31 22:59:59"},
        {"operator": "<", "value": "2026-02-01 00:00:00"},
    ]
    assert Window().conditions() == []
    assert format_second(0) == "1970-01-01 00:00:00"


def test_range_window_is_exclusive_on_both_ends_at_second_resolution() -> None:
    after = datetime(2026, 1, 1, 10, 0, 0, 700_000, tzinfo=timezone.utc)
    before = datetime(2026, 1, 1, 11, 0, 0, 200_000, tzinfo=timezone.utc)
    w = range_window(after, before)
    base = int(datetime(2026, 1, 1, 10, tzinfo=timezone.utc).timestamp())
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
