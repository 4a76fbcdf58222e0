"""Follow `_links.next` from page to page, for offset and search_after lists alike.

The next link is the only cursor: Akeneo documents `page` and `search_after` as
never to be built by hand. A page that is not the documented envelope raises
`MalformedResponseError` instead of ending the iteration, because ending there
would silently drop the rest of the catalog.

Akeneo writes links as absolute URLs (docs/rest-api_pagination.md); a proxy may write
them relative (`/api/rest/v1/...?...`), which is resolved against the page it came
from, like any relative reference (RFC 3986, section 5). Either way only the path
and query are kept, on AKENEO_BASE_URL: the bearer token never goes anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from akeneo_pipeline.akeneo import exact_json
from akeneo_pipeline.akeneo.errors import MalformedResponseError
from akeneo_pipeline.akeneo.http import Transport


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_href: str | None
    items_count: int | None


def decode_json(response: httpx.Response, method: str = "GET") -> Any:
    try:
        return exact_json.loads(response.content)  # orjson's speed, json's integers (exact_json.py)
    except json.JSONDecodeError as exc:
        raise MalformedResponseError(
            f"Akeneo answered with a body that is not JSON ({exc.msg} at byte {exc.pos} "
            f"of {len(response.content)})",
            method=method, path=response.request.url.path, status=response.status_code,
        ) from None
    except UnicodeDecodeError:
        raise MalformedResponseError("Akeneo answered with a body that is not UTF-8 JSON", method=method,
                                     path=response.request.url.path, status=response.status_code) from None


def parse_page(response: httpx.Response) -> Page:
    """The list envelope `{_links: {next?}, items_count?, _embedded: {items: [...]}}`."""
    body = decode_json(response)
    path = response.request.url.path

    def malformed(why: str) -> MalformedResponseError:
        return MalformedResponseError(f"malformed list page: {why}", path=path, status=response.status_code)

    if not isinstance(body, dict):
        raise malformed(f"expected an object, got {type(body).__name__}")
    embedded = body.get("_embedded")
    items = embedded.get("items") if isinstance(embedded, dict) else None
    if not isinstance(items, list):
        raise malformed("no _embedded.items list")
    if not all(isinstance(item, dict) for item in items):
        raise malformed("an item of _embedded.items is not an object")
    links = body.get("_links", {})
    if not isinstance(links, dict):
        raise malformed("_links is not an object")
    next_link = links.get("next")
    next_href = next_link.get("href") if isinstance(next_link, dict) else None
    if next_link is not None and not isinstance(next_href, str):
        raise malformed("_links.next has no href")
    count = body.get("items_count")
    if count is not None and not isinstance(count, int):
        raise malformed("items_count is not an integer")
    return Page(items, next_href, count)


def same_origin(transport: Transport, href: str, page_url: httpx.URL | str | None = None) -> httpx.URL:
    """The next link's path and query on the configured base URL: a proxy may write
    another scheme or host into links, or a relative href (resolved against `page_url`,
    the page it came from), and the bearer token must only go to AKENEO_BASE_URL."""
    base = httpx.URL(transport.settings.base_url)
    link = httpx.URL(page_url if page_url is not None else base).join(href)
    return base.copy_with(path=link.path, query=link.query or None)


def iter_pages(
    transport: Transport, path: str, params: dict[str, Any] | None, *, endpoint: str, count_items: bool = True
) -> Iterator[list[dict[str, Any]]]:
    """Yield the items of each non-empty page, one page in memory at a time.

    `count_items=False` leaves the `items` counter to a caller that filters pages first.
    """
    url: str | httpx.URL = path
    previous: str | None = None
    while True:
        response = transport.get(str(url), endpoint=endpoint, params=params)
        page = parse_page(response)
        page_url = response.request.url
        # An httpx Response and its stream reference each other, so only the cyclic collector
        # frees one; held across the yield, it would age out of the young generations that a
        # bulk load collects (storage/gc_pause.py) and its body would stay for the whole run.
        del response
        if count_items:
            transport.counters.record(endpoint, items=len(page.items))
        if page.items:
            yield page.items
        if page.next_href is None:
            return
        if page.next_href == previous:
            raise MalformedResponseError("_links.next points back to the page just read",
                                         path=httpx.URL(page.next_href).path)
        previous = page.next_href
        url, params = same_origin(transport, page.next_href, page_url), None


def fetch_list(transport: Transport, path: str, *, endpoint: str) -> list[dict[str, Any]]:
    """An unpaginated list endpoint: measurement families answer a plain JSON array (the
    Swagger file), but a server or proxy may serve them as pages like every other list,
    which are then followed to the end."""
    response = transport.get(path, endpoint=endpoint)
    body = decode_json(response)
    if isinstance(body, dict) and "_embedded" in body:
        page = parse_page(response)
        transport.counters.record(endpoint, items=len(page.items))
        items = list(page.items)
        if page.next_href is not None:
            rest = same_origin(transport, page.next_href, response.request.url)
            for more in iter_pages(transport, str(rest), None, endpoint=endpoint):
                items.extend(more)
        return items
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise MalformedResponseError("expected a JSON array of objects (or a list page)", path=path,
                                     status=response.status_code)
    transport.counters.record(endpoint, items=len(body))
    return body
