"""Split windows while reading them: probes and reads share the same workers.

Planning every window before reading any would cost one round trip per probe with
nothing else on the wire. Here each worker takes the largest
pending span: if it is too big it cuts it in up to `ways` pieces with one round of
counts sent side by side (`windows.split`: adjacent pieces merge into windows of at
most `target` items, so one round sizes several windows and empty stretches cost
none) and puts them back, otherwise it reads it. Reading starts as soon as the first span is small
enough, the probes of the other workers overlap those reads, and the largest
windows go first, so the last window to finish is a small one (longest-first
scheduling keeps the slowest worker close to the average).
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from akeneo_pipeline.akeneo.windows import Span, Window, split

_WAIT_SECONDS = 0.1


class WindowQueue:
    """Shared by the workers of one read; each iterates it to get the windows it must read.

    The windows handed out partition the starting window exactly, whatever the
    counts say (they are estimates: the catalog may change meanwhile).
    """

    def __init__(self, window: Window, items: int, count: Callable[[Window], int], *,
                 target: int, latest: int, max_probes: int = 64, ways: int = 2) -> None:
        self._count = count
        self._target = target
        self._ways = max(2, ways)
        self._probes = max_probes
        self._order = itertools.count()
        self._heap: list[tuple[int, int, Span]] = []
        self._splitting = 0
        self._cond = threading.Condition()
        self._push(Span.of(window, items, latest))

    def _push(self, span: Span) -> None:
        heapq.heappush(self._heap, (-span.items, next(self._order), span))

    def _take(self) -> tuple[Span, int] | None:
        """The largest pending span and in how many pieces to cut it (0: read it); None once
        nothing is left to do."""
        with self._cond:
            while not self._heap:
                if self._splitting == 0:
                    return None
                self._cond.wait(_WAIT_SECONDS)
            span = heapq.heappop(self._heap)[2]
            parts = 0
            if span.splittable(self._target) and self._probes > 0:
                parts = min(self._ways, max(2, math.ceil(span.items / self._target)), self._probes + 1)
                self._probes -= parts - 1
                self._splitting += 1
            return span, parts

    def _counts(self, thunks: Sequence[Callable[[], int]]) -> list[int]:
        """One round of counts, side by side (the transport's semaphore still caps the calls)."""
        if len(thunks) == 1:
            return [thunks[0]()]
        with ThreadPoolExecutor(len(thunks), thread_name_prefix="akeneo-count") as pool:
            return list(pool.map(lambda thunk: thunk(), thunks))

    def __iter__(self) -> Iterator[Window]:
        while (taken := self._take()) is not None:
            span, parts = taken
            if not parts:
                yield span.window
                continue
            halves: list[Span] = []  # a failed probe fails the whole read (fan_in raises it)
            try:
                halves = split(span, self._count, parts, self._target, self._counts)
            finally:
                with self._cond:
                    for half in halves:
                        self._push(half)
                    self._splitting -= 1
                    self._cond.notify_all()
