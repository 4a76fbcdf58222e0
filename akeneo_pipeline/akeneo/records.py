"""Products and product models: windowed, concurrent, search_after reads on `updated` (`created` when reading everything).

One search_after cursor per window, windows read side by side under the client's
semaphore and split while they are read (`WindowQueue`). Small reads (an ordinary
nightly delta) stay one window: the only extra cost over a plain read is the count
that decides it, and an empty range costs that count alone.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from akeneo_pipeline.akeneo.fanin import fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import iter_pages, parse_page
from akeneo_pipeline.akeneo.parents import ParentMatchGuard
from akeneo_pipeline.akeneo.streams import Stream
from akeneo_pipeline.akeneo.window_queue import WindowQueue
from akeneo_pipeline.akeneo.windows import Window

log = logging.getLogger("akeneo_pipeline.akeneo")

def search_filter(window: Window, field: str = "updated") -> dict[str, str]:
    """The `search` query parameter for a window on `field`; none at all for an unbounded one."""
    conditions = window.conditions()
    if not conditions:
        return {}
    return {"search": json.dumps({field: conditions}, separators=(",", ":"))}


# A range holding at most this many pages is read as one window: splitting it would
# cost more requests (probes, first pages) than its concurrency saves (a nightly delta).
SMALL_READ_PAGES = 10


class RecordReader:
    def __init__(self, transport: Transport, windows_per_worker: int = 4) -> None:
        self.transport = transport
        self.settings = transport.settings
        self.windows_per_worker = windows_per_worker
        self._uncounted_warned = False
        self._warn_lock = threading.Lock()

    def count(self, stream: Stream, window: Window, field: str = "updated") -> int | None:
        """Items in a window, by one `with_count` request for a single item; None when the
        server left `items_count` out (the pagination doc makes it optional), warned once."""
        params = {**search_filter(window, field), "with_count": "true", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        if page.items_count is None:
            with self._warn_lock:
                warn, self._uncounted_warned = not self._uncounted_warned, True
            if warn:
                log.warning("GET %s answered without items_count although with_count=true was asked; "
                            "reading each such range as one window, without splitting it", stream.path)
        return page.items_count

    def _probe(self, stream: Stream, window: Window, field: str) -> int:
        """A split's count; an uncounted half reads as empty, which keeps the window whole."""
        counted = self.count(stream, window, field)
        return 0 if counted is None else counted

    def read(
        self,
        stream: Stream,
        window: Window,
        latest: Callable[[], int],
        extra_params: dict[str, Any] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Every item of `window` once, page by page, as the windows' pages arrive.

        One count decides: nothing to read (no further request: an item edited
        after it is newer than the run's watermark and read next run), a small
        (or uncounted) range read as one window, or a large one split into windows
        while it is read.
        """
        # A full read is windowed on `created`: Akeneo's `updated` filter also returns the
        # variant products of a matching parent model, so `updated` windows over the whole
        # catalog list each variant twice (once dropped by the guard, but paid for: 1.6 times
        # the bytes of a plain read on the sandbox). `created` has no such rule and never changes.
        field = "created" if window == Window() else "updated"
        total = self.count(stream, window, field)
        if total == 0:
            return
        guard = ParentMatchGuard(window, stream.key) if field == "updated" else None
        read = partial(self._read_window, stream, field=field, guard=guard, extra=extra_params or {})
        workers = self.settings.max_concurrency
        # No count (the server left items_count out): nothing to split by, one window.
        if total is None or workers <= 1 or total <= SMALL_READ_PAGES * self.settings.page_size:
            yield from read(window)
            return
        windows = workers * self.windows_per_worker
        # Windows of a few pages at least: each costs a probe and a last, partly filled page.
        target = max(SMALL_READ_PAGES // 2 * self.settings.page_size, math.ceil(total / windows))
        queue = WindowQueue(window, total, partial(self._probe, stream, field=field), target=target, latest=latest(),
                            max_probes=4 * windows)

        def worker() -> Iterator[list[dict[str, Any]]]:
            for w in queue:
                yield from read(w)

        yield from fan_in([worker] * workers, workers=workers, queue_pages=2 * workers)

    def _read_window(
        self, stream: Stream, window: Window, *, field: str, guard: ParentMatchGuard | None, extra: dict[str, Any]
    ) -> Iterator[list[dict[str, Any]]]:
        params = {**extra, **search_filter(window, field), "pagination_type": "search_after",
                  "limit": self.settings.page_size}
        for page in iter_pages(self.transport, stream.path, params, endpoint=stream.name, count_items=False):
            kept = guard.keep(page, window) if guard is not None else page
            self.transport.counters.record(stream.name, items=len(kept))
            if kept:
                yield kept

    def any_updated(self, stream: Stream, window: Window) -> bool:
        """One item at most: is anything in the window at all?"""
        params = {**search_filter(window), "pagination_type": "search_after", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        return bool(page.items)
