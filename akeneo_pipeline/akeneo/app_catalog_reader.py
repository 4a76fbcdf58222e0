"""Products through an App catalog: `GET /catalogs/{id}/products` by search_after, `updated_after` /
`updated_before` windows read side by side, and the key scan `GET /catalogs/{id}/product-uuids`.

Sources: the SaaS Swagger of the catalog endpoints (pim-api-docs, content/swagger/resources/
app_catalogs/): app_catalogs_id_products.yaml and app_catalogs_id_product_uuids.yaml (search_after
paging, `limit` 1 to 1,000, `updated_after` / `updated_before`), parameters-paging.yaml ("Filter
products that have been updated AFTER / BEFORE the provided date ... This filter uses the PIM
products updated date"); the guide "Catalogs for Apps" (Troubleshooting: a disabled catalog answers
200 with an `error`). pim-community-dev's catalogs component reads the two dates as ISO 8601 with an
offset (components/catalogs/back/src/ServiceAPI/Query/GetProductsQuery.php: `Assert\\DateTime(ATOM)`)
and turns them into `updated` filters on the one indexed stamp per product (entities.py).

Windows are the half-open seconds [start, end) of windows.py. Whether Akeneo's two dates are
strict is not documented (its code: each alone strict, both together BETWEEN, inclusive), so a
window is sent as `updated_after = start - 1` and `updated_before = end`: every second of the
window matches under either reading, and adjacent windows at most share one second, whose items
then come twice and are deduplicated by key like every overlap. The dates carry their offset, so
no local time is ever ambiguous; they are written in AKENEO_TIMEZONE all the same, and the items'
stamps are checked against it (stamps.py) as on /products-uuid.

No count is offered on these lists (no `with_count`), so a large range is recognised by its
first page: a full page with a `next` link. Its items, in uuid order and so spread at random over
the range, are a sample of the range's `updated` stamps; the window queue splits the range at the
sample's quantiles (its probes count the sample, no request), and the windows are read side by
side under the client's semaphore. The first page is kept too: its items come again from their
window and go by key. Full reads are windowed on `updated` as well (catalogs have no `created`
filter): an item edited mid-read may slip to a window already read, and is read by the next run,
whose watermark predates this one. The key scan is one search_after cursor over uuids, which an
edit cannot move.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx

from akeneo_pipeline.akeneo.app_catalog import AppCatalogInfo, catalog_path, disabled_error, refused_error
from akeneo_pipeline.akeneo.errors import AkeneoHTTPError, MalformedResponseError
from akeneo_pipeline.akeneo.fanin import fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import Page, decode_json, parse_page, same_origin
from akeneo_pipeline.akeneo.stamps import StampCheck
from akeneo_pipeline.akeneo.window_queue import WindowQueue
from akeneo_pipeline.akeneo.windows import Window

ENDPOINT = "products"  # the counters' name: the same stream as /products-uuid
KEYS_ENDPOINT = "product_uuids"


def updated_params(window: Window, zone: Any) -> dict[str, str]:
    """`updated_after` / `updated_before` covering every second of `window` (see the module doc)."""
    params = {}
    if window.start is not None:
        params["updated_after"] = _atom(window.start - 1, zone)
    if window.end is not None:
        params["updated_before"] = _atom(window.end, zone)
    return params


def _atom(second: int, zone: Any) -> str:
    return datetime.fromtimestamp(second, tz=zone).isoformat(timespec="seconds")


def _second(stamp: Any) -> int | None:
    try:
        return int(datetime.fromisoformat(stamp).timestamp()) if isinstance(stamp, str) else None
    except ValueError:
        return None


class CatalogProductReader:
    def __init__(self, transport: Transport, catalog_id: str, stamps: StampCheck, windows_per_worker: int = 4) -> None:
        self.transport = transport
        self.settings = transport.settings
        self.catalog_id = catalog_id
        self.stamps = stamps
        self.windows_per_worker = windows_per_worker
        self.zone = self.settings.zone
        self._name: str | None = None

    # -- the catalog itself ----------------------------------------------------------------------
    def info(self) -> AppCatalogInfo:
        """`GET /catalogs/{id}`: the catalog's name and state; 404 and 403 raise AppCatalogError."""
        path = catalog_path(self.catalog_id)
        response = self._get(path, "catalog", None)
        info = AppCatalogInfo.from_akeneo(decode_json(response), path, response.status_code)
        self._name = info.name
        return info

    def require_enabled(self) -> AppCatalogInfo:
        """The catalog, or AppCatalogError when it is disabled: checked before a run reads anything."""
        info = self.info()
        if not info.enabled:
            raise disabled_error(self.settings.base_url, info.id, info.name, catalog_path(info.id), None, None)
        return info

    # -- pages -------------------------------------------------------------------------------------
    def _get(self, url: str, endpoint: str, params: dict[str, Any] | None) -> httpx.Response:
        try:
            return self.transport.get(url, endpoint=endpoint, params=params)
        except AkeneoHTTPError as exc:
            if exc.status in (403, 404):
                raise refused_error(self.settings.base_url, self.catalog_id, exc.path or url, exc.status,
                                    exc.akeneo_message) from None
            raise

    def _page(self, url: str | httpx.URL, endpoint: str, params: dict[str, Any] | None) -> tuple[Page, httpx.URL]:
        """One list page; the disabled catalog's `{"error": ...}` raises instead of reading as empty."""
        response = self._get(str(url), endpoint, params)
        body = decode_json(response)
        if isinstance(body, dict) and "error" in body and "_embedded" not in body:
            raise disabled_error(self.settings.base_url, self.catalog_id, self._name, response.request.url.path,
                                 str(body["error"])[:300], response.status_code)
        if endpoint == KEYS_ENDPOINT:  # items are uuid strings (app_catalogs_id_product_uuids.yaml)
            return _uuid_page(body, response), response.request.url
        return parse_page(response), response.request.url

    def _pages(self, path: str, params: dict[str, Any], endpoint: str,
               first: tuple[Page, httpx.URL] | None = None) -> Iterator[list[Any]]:
        """Follow `_links.next` only (paging.py's rules: same origin, no loop)."""
        page, url = first or self._page(path, endpoint, params)
        previous: str | None = None
        while True:
            if endpoint == ENDPOINT:
                self.stamps.check(page.items, path)
            self.transport.counters.record(endpoint, items=len(page.items))
            if page.items:
                yield page.items
            if page.next_href is None:
                return
            if page.next_href == previous:
                raise MalformedResponseError("_links.next points back to the page just read", path=path)
            previous = page.next_href
            page, url = self._page(same_origin(self.transport, page.next_href, url), endpoint, None)

    # -- reads -------------------------------------------------------------------------------------
    def _params(self, window: Window, limit: int | None = None) -> dict[str, Any]:
        return {**updated_params(window, self.zone), "limit": limit or self.settings.catalog_page_size}

    def read(self, window: Window, latest: Callable[[], int]) -> Iterator[list[dict[str, Any]]]:
        """Every product of the selection updated in `window`, page by page (see the module doc)."""
        path = catalog_path(self.catalog_id, "/products")
        first = self._page(path, ENDPOINT, self._params(window))
        workers = self.settings.max_concurrency
        if first[0].next_href is None or workers <= 1:
            yield from self._pages(path, self._params(window), ENDPOINT, first)
            return
        sample = [s for s in (_second(item.get("updated")) for item in first[0].items) if s is not None]
        yield from self._pages(path, {}, ENDPOINT, (Page(first[0].items, None, None), first[1]))
        windows = workers * self.windows_per_worker

        def in_sample(w: Window) -> int:
            return sum(1 for s in sample if w.contains(s))

        queue = WindowQueue(window, len(sample), in_sample, target=max(1, math.ceil(len(sample) / windows)),
                            latest=latest(), max_probes=4 * windows)

        def worker() -> Iterator[list[dict[str, Any]]]:
            for w in queue:
                yield from self._pages(path, self._params(w), ENDPOINT)

        yield from fan_in([worker] * workers, workers=workers, queue_pages=2 * workers)

    def any_updated(self, window: Window) -> bool:
        """One item at most: did a product of the selection change in `window`?"""
        path = catalog_path(self.catalog_id, "/products")
        page, _ = self._page(path, ENDPOINT, self._params(window, limit=1))
        self.stamps.check(page.items, path)
        return bool(page.items)

    def scan_uuids(self) -> Iterator[list[str]]:
        """Every uuid the selection holds, one search_after cursor (an edit cannot move an item in it)."""
        path = catalog_path(self.catalog_id, "/product-uuids")
        yield from self._pages(path, {"limit": self.settings.catalog_page_size}, KEYS_ENDPOINT)


def _uuid_page(body: Any, response: httpx.Response) -> Page:
    """The product-uuids envelope: `_embedded.items` is a list of uuid strings."""
    path = response.request.url.path
    embedded = body.get("_embedded") if isinstance(body, dict) else None
    items = embedded.get("items") if isinstance(embedded, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise MalformedResponseError("malformed product-uuids page: no _embedded.items list of uuids", path=path,
                                     status=response.status_code)
    links = body.get("_links") or {}
    nxt = links.get("next") if isinstance(links, dict) else None
    href = nxt.get("href") if isinstance(nxt, dict) else None
    if nxt is not None and not isinstance(href, str):
        raise MalformedResponseError("_links.next has no href", path=path, status=response.status_code)
    return Page(items, href, None)  # uuid strings, not objects

