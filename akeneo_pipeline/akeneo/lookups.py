"""Get-one reads: is this attribute, this attribute option, still in Akeneo?

The attribute and attribute option lists page by offset, recomputed for each page
(pim-community-dev's AttributeController and AttributeOptionController list with
`searchAfterOffset(..., ['code' => 'ASC'], limit, offset)`), so an item removed while
a client reads them pushes a later one out of the pages read. Absence from a full
read is therefore only a suspicion; the get-one routes decide. `GET
/attributes/{code}` and `GET /attributes/{attribute_code}/options/{code}` (Swagger)
answer 404 for an attribute or option that does not exist, and the option route
also for an attribute that no longer has options (AttributeOptionController::getAction).

Each lookup is one request through the transport, so retries, the token and the
`max_concurrency` semaphore apply as to every other call; a 404 is an answer, any
other error (5xx after the retries, 403, a malformed body) raises and fails the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from akeneo_pipeline.akeneo.errors import AkeneoHTTPError, MalformedResponseError
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import decode_json
from akeneo_pipeline.streams import Stream


def item_path(stream: Stream, code: str, parent_code: str | tuple[str, ...] | None = None) -> str:
    """The get-one route of an item of `stream` (`/attributes/{code}`, `/attributes/{attribute_code}/options/{code}`,
    `/reference-entities/{code}/records/{code}`); codes are URL-escaped (they may hold spaces)."""
    path = stream.path
    if parent_code is not None:
        for part in (parent_code,) if isinstance(parent_code, str) else parent_code:
            path = path.replace("{parent}", quote(part, safe=""), 1)
    return f"{path}/{quote(code, safe='')}"


def get_one(transport: Transport, path: str, *, endpoint: str) -> dict[str, Any] | None:
    """The item at `path`, or None when Akeneo answers 404."""
    try:
        response = transport.get(path, endpoint=endpoint)
    except AkeneoHTTPError as error:
        if error.status == 404:
            return None
        raise
    body = decode_json(response)
    if not isinstance(body, dict):
        raise MalformedResponseError(f"expected an object, got {type(body).__name__}", path=path,
                                     status=response.status_code)
    transport.counters.record(endpoint, items=1)
    return body


def get_many(transport: Transport, paths: Sequence[str], *, endpoint: str) -> list[dict[str, Any] | None]:
    """`get_one` for each path, side by side within the concurrency cap; results in `paths` order.

    The first failure is raised once the requests already on the wire have ended;
    the ones not started yet are cancelled.
    """
    if not paths:
        return []
    workers = min(transport.settings.max_concurrency, len(paths))
    if workers == 1:
        return [get_one(transport, path, endpoint=endpoint) for path in paths]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="akeneo-lookup")
    try:
        futures = [pool.submit(get_one, transport, path, endpoint=endpoint) for path in paths]
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
