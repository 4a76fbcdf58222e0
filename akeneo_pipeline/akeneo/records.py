"""Products and product models: windowed, concurrent, search_after reads on `updated`.

One search_after cursor per window, windows read side by side under the client's
semaphore. Small reads (an ordinary nightly delta) stay one window: the only extra
cost over a plain read is the count that decides it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from akeneo_pipeline.akeneo.errors import MalformedResponseError
from akeneo_pipeline.akeneo.fanin import fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import iter_pages, parse_page
from akeneo_pipeline.akeneo.parents import ParentMatchGuard
from akeneo_pipeline.akeneo.streams import Stream
from akeneo_pipeline.akeneo.windows import Window, split_window


def search_filter(window: Window) -> dict[str, str]:
    """The `search` query parameter for a window; none at all for an unbounded one."""
    conditions = window.conditions()
    if not conditions:
        return {}
    return {"search": json.dumps({"updated": conditions}, separators=(",", ":"))}


class RecordReader:
    def __init__(self, transport: Transport, windows_per_worker: int = 3) -> None:
        self.transport = transport
        self.settings = transport.settings
        self.windows_per_worker = windows_per_worker

    def count(self, stream: Stream, window: Window) -> int:
        """Items in a window, by one `with_count` request for a single item."""
        params = {**search_filter(window), "with_count": "true", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        if page.items_count is None:
            raise MalformedResponseError("list answered without items_count despite with_count=true",
                                         path=stream.path)
        return page.items_count

    def plan(self, stream: Stream, window: Window, latest: Callable[[], int]) -> list[Window]:
        """The windows to read: one if the range is small, else a balanced partition."""
        total = self.count(stream, window)
        workers = self.settings.max_concurrency
        target = max(2 * self.settings.page_size, math.ceil(total / (workers * self.windows_per_worker)))
        if workers <= 1 or total <= target:
            return [window]
        return split_window(window, total, partial(self.count, stream), target=target, latest=latest())

    def read(
        self,
        stream: Stream,
        window: Window,
        latest: Callable[[], int],
        extra_params: dict[str, Any] | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Every item of `window` once, page by page, as the windows' pages arrive."""
        windows = self.plan(stream, window, latest)
        guard = ParentMatchGuard(window, stream.key)
        sources = [partial(self._read_window, stream, w, guard, extra_params or {}) for w in windows]
        workers = self.settings.max_concurrency
        yield from fan_in(sources, workers=workers, queue_pages=2 * workers)

    def _read_window(
        self, stream: Stream, window: Window, guard: ParentMatchGuard, extra: dict[str, Any]
    ) -> Iterator[list[dict[str, Any]]]:
        params = {**extra, **search_filter(window), "pagination_type": "search_after",
                  "limit": self.settings.page_size}
        for page in iter_pages(self.transport, stream.path, params, endpoint=stream.name, count_items=False):
            kept = guard.keep(page, window)
            self.transport.counters.record(stream.name, items=len(kept))
            if kept:
                yield kept

    def any_updated(self, stream: Stream, window: Window) -> bool:
        """One item at most: is anything in the window at all?"""
        params = {**search_filter(window), "pagination_type": "search_after", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        return bool(page.items)
