"""Split windows while reading them: probes and reads share the same workers.

Planning every window before reading any would cost one round trip per probe with
nothing else on the wire. Here each worker takes the largest
pending span: if it is too big it spends one probe to halve it and puts the halves
back, otherwise it reads it. Reading starts as soon as the first span is small
enough, the probes of the other workers overlap those reads, and the largest
windows go first, so the last window to finish is a small one (longest-first
scheduling keeps the slowest worker close to the average).
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterator

from akeneo_pipeline.akeneo.windows import Span, Window, bisect

_WAIT_SECONDS = 0.1


class WindowQueue:
    """Shared by the workers of one read; each iterates it to get the windows it must read.

    The windows handed out partition the starting window exactly, whatever the
    counts say (they are estimates: the catalog may change meanwhile).
    """

    def __init__(self, window: Window, items: int, count: Callable[[Window], int], *,
                 target: int, latest: int, max_probes: int = 64) -> None:
        self._count = count
        self._target = target
        self._probes = max_probes
        self._order = itertools.count()
        self._heap: list[tuple[int, int, Span]] = []
        self._splitting = 0
        self._cond = threading.Condition()
        self._push(Span.of(window, items, latest))

    def _push(self, span: Span) -> None:
        heapq.heappush(self._heap, (-span.items, next(self._order), span))

    def _take(self) -> tuple[Span, bool] | None:
        """The largest pending span and whether to split it; None once nothing is left to do."""
        with self._cond:
            while not self._heap:
                if self._splitting == 0:
                    return None
                self._cond.wait(_WAIT_SECONDS)
            span = heapq.heappop(self._heap)[2]
            split = span.splittable(self._target) and self._probes > 0
            if split:
                self._probes -= 1
                self._splitting += 1
            return span, split

    def __iter__(self) -> Iterator[Window]:
        while (taken := self._take()) is not None:
            span, split = taken
            if not split:
                yield span.window
                continue
            halves: list[Span] = []  # a failed probe fails the whole read (fan_in raises it)
            try:
                halves = bisect(span, self._count)
            finally:
                with self._cond:
                    for half in halves:
                        self._push(half)
                    self._splitting -= 1
                    self._cond.notify_all()
