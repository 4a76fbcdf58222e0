"""List envelopes exactly as the pagination documentation shows them.

Offset pages: `_links` self/first/previous/next as absolute URLs, `current_page`,
`items_count` only with `with_count=true`, and a `next` link whenever the page is
full (so a full last page links to an empty one). search_after pages: self, first
and next with an opaque cursor; no counts.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from akeneo_pipeline.sandbox.errors import ApiError

OFFSET_CAP = 10_000
OFFSET_CAP_MESSAGE = ('You have reached the maximum number of pages you can retrieve with the "page" pagination type. '
                      'Please use the search after pagination type instead')
SEARCH_AFTER_DOC = "http://api.akeneo.com/documentation/pagination.html#the-search-after-method"


@dataclass
class PageRequest:
    limit: int
    page: int
    search_after: str | None  # decoded cursor key, None for the first page
    search_after_mode: bool
    with_count: bool
    params: list[tuple[str, str]]  # every other query parameter, in request order


def query_value(query: dict[str, list[str]], name: str) -> str | None:
    """A query parameter's value, the last one when it is repeated (as PHP reads `?a=1&a=2`); None when absent."""
    values = query.get(name)
    return values[-1] if values else None


def parse_page_request(query: dict[str, list[str]], search_after_allowed: bool) -> PageRequest:
    raw_limit = query_value(query, "limit")
    try:
        limit = 10 if raw_limit is None else int(raw_limit)
    except ValueError:
        raise ApiError(422, f'The value "{raw_limit}" of the "limit" parameter is not an integer.') from None
    if limit > 100:
        raise ApiError(422, "You cannot request more than 100 items.")
    if limit < 1:
        raise ApiError(422, "You have to request at least 1 item.")
    mode = query_value(query, "pagination_type") or "page"
    if mode not in ("page", "search_after") or (mode == "search_after" and not search_after_allowed):
        raise ApiError(422, "Pagination type does not exist.")
    raw_page = query_value(query, "page")
    try:
        page = 1 if raw_page is None else int(raw_page)
    except ValueError:
        raise ApiError(422, f'The value "{raw_page}" of the "page" parameter is not an integer.') from None
    if page < 1:
        raise ApiError(422, "The page number must be at least 1.")
    cursor = query_value(query, "search_after")
    params = [(k, v) for k, vs in query.items() if k not in ("limit", "page", "search_after") for v in vs]
    return PageRequest(limit, page, decode_cursor(cursor) if cursor else None, mode == "search_after",
                       (query_value(query, "with_count") or "").lower() in ("true", "1"), params)


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(f"sa1:{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        text = ""
    if not text.startswith("sa1:"):
        raise ApiError(422, f'The search_after cursor "{cursor}" is not valid: follow _links.next.href.')
    return text[4:]


def link(base: str, path: str, params: list[tuple[str, str]]) -> dict[str, str]:
    return {"href": f"{base}{path}?{urlencode(params)}" if params else f"{base}{path}"}


def offset_envelope(base: str, path: str, req: PageRequest, items: list[dict[str, Any]],
                    total: int | None) -> dict[str, Any]:
    def at(page: int) -> dict[str, str]:
        return link(base, path, req.params + [("page", str(page)), ("limit", str(req.limit))])

    links = {"self": at(req.page), "first": at(1)}
    if req.page > 1:
        links["previous"] = at(req.page - 1)
    if len(items) == req.limit:
        links["next"] = at(req.page + 1)
    body: dict[str, Any] = {"_links": links, "current_page": req.page}
    if total is not None:
        body["items_count"] = total
    body["_embedded"] = {"items": items}
    return body


def search_after_envelope(base: str, path: str, req: PageRequest, items: list[dict[str, Any]],
                          last_key: str | None) -> dict[str, Any]:
    limit = [("limit", str(req.limit))]
    self_params = req.params + ([("search_after", encode_cursor(req.search_after))] if req.search_after else [])
    links = {"self": link(base, path, self_params + limit), "first": link(base, path, req.params + limit)}
    if len(items) == req.limit and last_key is not None:
        links["next"] = link(base, path, req.params + [("search_after", encode_cursor(last_key))] + limit)
    return {"_links": links, "_embedded": {"items": items}}


def offset_slice(req: PageRequest, keys: Sequence[Any], capped: bool) -> Sequence[Any]:
    start = (req.page - 1) * req.limit
    if capped and start >= OFFSET_CAP:
        raise ApiError(422, OFFSET_CAP_MESSAGE, _links={"documentation": {"href": SEARCH_AFTER_DOC}})
    return keys[start:start + req.limit]
