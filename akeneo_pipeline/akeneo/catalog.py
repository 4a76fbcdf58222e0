"""Catalog structure: the small endpoints, read whole, sub-resources read concurrently.

Family variants and attribute options live under their parent
(`families/{code}/variants`, `attributes/{code}/options`), one list per parent: a
catalog with hundreds of select attributes needs hundreds of lists, so they are
read side by side within the concurrency cap, and each item is stamped with its
parent's code (Akeneo's family variant item does not name its family).

A parent removed between the read of its list and the read of its children answers
404 on its children's list (pim-community-dev's AttributeOptionController::listAction
throws NotFoundHttpException for an unknown attribute; the family variant controller
for an unknown family). When the parent's get-one route confirms it is gone (404), it
has no children: a warning, not a failed read. Any other 404 still fails the read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any
from urllib.parse import quote

from akeneo_pipeline.akeneo.errors import AkeneoHTTPError
from akeneo_pipeline.akeneo.fanin import PageSource, fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.lookups import get_one, item_path
from akeneo_pipeline.akeneo.paging import fetch_list, iter_pages
from akeneo_pipeline.streams import CATALOG_STREAMS, Read, Stream

log = logging.getLogger("akeneo_pipeline.akeneo")


def child_path(stream: Stream, parent_code: str) -> str:
    """The sub-resource path for one parent; codes are URL-escaped (they may hold spaces)."""
    return stream.path.replace("{parent}", quote(parent_code, safe=""))


class CatalogReader:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.settings = transport.settings

    def iter_stream(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        """Every item of a catalog stream; a per-parent stream reads its parents' codes first."""
        if stream.read is Read.PER_PARENT:
            yield from self.iter_children(stream, self.parent_codes(stream))
        elif stream.read is Read.UNPAGINATED:
            items = fetch_list(self.transport, stream.path, endpoint=stream.name)
            for start in range(0, len(items), self.settings.page_size):
                yield items[start : start + self.settings.page_size]
        else:
            yield from self.iter_list(stream)

    def iter_list(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        params = {**dict(stream.params), "limit": self.settings.page_size}
        return iter_pages(self.transport, stream.path, params, endpoint=stream.name)

    def parent_codes(self, stream: Stream) -> list[str]:
        """Codes of the stream's parents, of the parent types it declares; the parent list is small.
        Types are filtered here: the `type` search filter is missing on older PIMs."""
        assert stream.parent is not None
        parent = CATALOG_STREAMS[stream.parent.stream]
        types = stream.parent.types
        return [item[parent.item_key[0]] for page in self.iter_list(parent) for item in page
                if not types or item.get("type") in types]

    def identifier_attribute(self) -> str | None:
        """The main identifier attribute's code, to shrink key-scan pages to one value."""
        found = [item for page in self.iter_list(CATALOG_STREAMS["attributes"]) for item in page
                 if item.get("type") == "pim_catalog_identifier"]
        main = [item for item in found if item.get("is_main_identifier")] or found
        return main[0]["code"] if main else None

    def iter_children(self, stream: Stream, parent_codes: Iterable[str]) -> Iterator[list[dict[str, Any]]]:
        sources: list[PageSource] = [partial(self._children, stream, code) for code in parent_codes]
        workers = self.settings.max_concurrency
        yield from fan_in(sources, workers=workers, queue_pages=2 * workers)

    def _children(self, stream: Stream, parent_code: str) -> Iterator[list[dict[str, Any]]]:
        assert stream.parent is not None
        field = stream.parent.field
        params = {**dict(stream.params), "limit": self.settings.page_size}
        pages = iter_pages(self.transport, child_path(stream, parent_code), params, endpoint=stream.name)
        try:
            first = next(pages, None)
        except AkeneoHTTPError as error:
            if error.status != 404 or not self._parent_vanished(stream, parent_code):
                raise
            log.warning("%s %r was removed from Akeneo while the run read it: its %s are skipped "
                        "(the next run reads the catalog without it)", field, parent_code,
                        stream.name.replace("_", " "))
            return
        for page in _chain(first, pages):
            for item in page:
                item.setdefault(field, parent_code)
            yield page

    def _parent_vanished(self, stream: Stream, parent_code: str) -> bool:
        assert stream.parent is not None
        parent = CATALOG_STREAMS[stream.parent.stream]
        return get_one(self.transport, item_path(parent, parent_code), endpoint=parent.name) is None


def _chain(first: list[dict[str, Any]] | None, rest: Iterator[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    if first is None:
        return
    yield first
    yield from rest
