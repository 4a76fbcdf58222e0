"""Products and product models: windowed, concurrent, search_after reads on `updated`
(`created` when reading everything).

One search_after cursor per window, windows read side by side under the client's
semaphore and split while they are read (`WindowQueue`). Small reads (an ordinary
nightly delta) stay one window: the only extra cost over a plain read is the count
that decides it, and an empty range costs that count alone (plus, once per client and
only if no item has been read yet, a one-item request whose stamp checks AKENEO_TIMEZONE).

Every item a window lists is kept, whatever its own `updated` says. Akeneo's search index
holds ONE `updated` per item, and that is what the `updated` filter matches: for a variant
product the newest of its own, its sub product model's and its root product model's stamps
(pim-community-dev, src/Akeneo/Pim/Enrichment/Bundle/Storage/Sql/ElasticsearchProjection/
GetElasticsearchProductProjection.php: `GREATEST(product.updated, COALESCE(sub_product_model.updated, 0),
COALESCE(root_product_model.updated, 0)) AS updated_date`), for a sub product model the newer of
its own and its root's (GetElasticsearchProductModelProjection.php), while the item served shows
its own stamp. So exactly one window lists a variant, the one holding the newest stamp of its
line, and its own stamp may lie in another window or before the range: no rule may depend on
which window returns an item. An item listed twice (edited while the run reads, it moves to a
later window) is harmless: the store keeps the newest copy per key.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, tzinfo
from functools import partial
from typing import Any

from akeneo_pipeline.akeneo.fanin import fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import iter_pages, parse_page
from akeneo_pipeline.akeneo.stamps import StampCheck
from akeneo_pipeline.akeneo.window_queue import WindowQueue
from akeneo_pipeline.akeneo.windows import Window

log = logging.getLogger("akeneo_pipeline.akeneo")


@dataclass(frozen=True)
class Route:
    """Where this server lists an entity stream and the item field that keys its items:
    `/products-uuid` by `uuid`, or on Akeneo 6 `/products` by `identifier` (client.py decides)."""

    name: str  # the stream's name, also the counters' endpoint name
    path: str
    key: str


def search_filter(window: Window, field: str = "updated", zone: tzinfo = UTC) -> dict[str, str]:
    """The `search` query parameter for a window on `field`, its dates written in the server's
    time zone `zone` (windows.py); none at all for an unbounded window."""
    conditions = window.conditions(zone)
    if not conditions:
        return {}
    return {"search": json.dumps({field: conditions}, separators=(",", ":"))}


# A range holding at most this many pages is read as one window: splitting it would
# cost more requests (probes, first pages) than its concurrency saves (a nightly delta).
SMALL_READ_PAGES = 10


class EntityReader:
    def __init__(self, transport: Transport, windows_per_worker: int = 2) -> None:
        self.transport = transport
        self.settings = transport.settings
        self.windows_per_worker = windows_per_worker
        self.zone = self.settings.zone
        # Every page read is checked against AKENEO_TIMEZONE before it is handed on (stamps.py).
        self.stamps = StampCheck(self.settings.timezone)
        self._uncounted_warned = False
        self._warn_lock = threading.Lock()

    def count(self, stream: Route, window: Window, field: str = "updated") -> int | None:
        """Items in a window, by one `with_count` request for a single item; None when the
        server left `items_count` out (the pagination doc makes it optional), warned once."""
        params = {**search_filter(window, field, self.zone), "with_count": "true", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        if page.items_count is None:
            with self._warn_lock:
                warn, self._uncounted_warned = not self._uncounted_warned, True
            if warn:
                log.warning("GET %s answered without items_count although with_count=true was asked; "
                            "reading each such range as one window, without splitting it", stream.path)
        return page.items_count

    def _probe(self, stream: Route, window: Window, field: str) -> int:
        """A split's count; an uncounted half reads as empty, which keeps the window whole."""
        counted = self.count(stream, window, field)
        return 0 if counted is None else counted

    def read(
        self,
        stream: Route,
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
        # A full read (and the deletion scan's key scan) is windowed on `created`, which never
        # changes: an item stays in one window for its whole life, so the windows together list
        # every live item exactly once. Windows on `updated` would not: an item edited while the
        # read runs (or whose parent model is: Akeneo re-indexes its variants with the model's
        # stamp) leaves a window not yet read for the newest one, and is missed if that one is
        # done already. An incremental read can afford that, since the next run re-reads from
        # before this one started; a scan that soft-deletes whatever it did not see cannot.
        field = "created" if window == Window() else "updated"
        total = self.count(stream, window, field)
        if total == 0:
            self.verify_zone(stream)  # an empty range proves nothing if the filter dates were shifted
            return
        read = partial(self._read_window, stream, field=field, extra=extra_params or {})
        workers = self.settings.max_concurrency
        # No count (the server left items_count out): nothing to split by, one window.
        if total is None or workers <= 1 or total <= SMALL_READ_PAGES * self.settings.page_size:
            yield from read(window)
            return
        windows = workers * self.windows_per_worker
        # Windows of a few pages at least: each costs a probe and a last, partly filled page.
        target = max(SMALL_READ_PAGES // 2 * self.settings.page_size, math.ceil(total / windows))
        queue = WindowQueue(window, total, partial(self._probe, stream, field=field), target=target, latest=latest(),
                            max_probes=4 * windows, ways=workers)

        def worker() -> Iterator[list[dict[str, Any]]]:
            for w in queue:
                yield from read(w)

        yield from fan_in([worker] * workers, workers=workers, queue_pages=2 * workers)

    def _read_window(
        self, stream: Route, window: Window, *, field: str, extra: dict[str, Any]
    ) -> Iterator[list[dict[str, Any]]]:
        params = {**extra, **search_filter(window, field, self.zone), "pagination_type": "search_after",
                  "limit": self.settings.page_size}
        for page in iter_pages(self.transport, stream.path, params, endpoint=stream.name, count_items=False):
            self.stamps.check(page, stream.path)
            self.transport.counters.record(stream.name, items=len(page))
            if page:
                yield page

    def any_updated(self, stream: Route, window: Window) -> bool:
        """One item at most: is anything in the window at all?"""
        params = {**search_filter(window, "updated", self.zone), "pagination_type": "search_after", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        self.stamps.check(page.items, stream.path)
        if not page.items:
            self.verify_zone(stream)
        return bool(page.items)

    def verify_zone(self, stream: Route) -> None:
        """Once per client, if no stamp has been seen yet: check one item's (any item: the
        first of the list) against AKENEO_TIMEZONE. Costs one one-item request, only when
        every read so far was empty."""
        if self.stamps.verified:
            return
        params = {"pagination_type": "search_after", "limit": 1}
        page = parse_page(self.transport.get(stream.path, endpoint=stream.name, params=params))
        self.stamps.check(page.items, stream.path)
