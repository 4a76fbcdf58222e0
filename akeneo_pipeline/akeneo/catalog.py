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

The editions' streams (streams.py, EDITION_STREAMS and RECORD_STREAMS) read the same way: the
attributes and options of reference entities and asset families are plain arrays per parent
(`Read.PER_PARENT_ARRAY`; a path may hold two parents, `/reference-entities/{code}/attributes/
{attribute}/options`), records and assets are search_after lists per parent filtered on `updated`
(`iter_records`), and table attributes' columns and select options come nested in `/attributes`
items (`Read.NESTED`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from akeneo_pipeline.akeneo.errors import AkeneoHTTPError
from akeneo_pipeline.akeneo.fanin import PageSource, fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.lookups import get_one, item_path
from akeneo_pipeline.akeneo.paging import fetch_list, iter_pages
from akeneo_pipeline.streams import STREAMS, Read, Stream

log = logging.getLogger("akeneo_pipeline.akeneo")


ParentKey = str | tuple[str, ...]


def parent_key(code: ParentKey) -> tuple[str, ...]:
    return (code,) if isinstance(code, str) else tuple(code)


def child_path(stream: Stream, parent_code: ParentKey) -> str:
    """The sub-resource path for one parent (its key's parts fill the `{parent}`s in order); codes are
    URL-escaped (they may hold spaces)."""
    path = stream.path
    for part in parent_key(parent_code):
        path = path.replace("{parent}", quote(part, safe=""), 1)
    return path


def updated_search(after: datetime) -> str:
    """The records' and assets' `search` for `updated` after `after`: ISO 8601 with an offset
    (rest-api_filter.md, "Filter reference entity records" / "Filter assets": "2021-05-17T15:19:32+00:00"),
    not the products' `YYYY-MM-DD hh:mm:ss`."""
    stamp = after.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return json.dumps({"updated": [{"operator": ">", "value": stamp}]}, separators=(",", ":"))


class CatalogReader:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.settings = transport.settings

    def iter_stream(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        """Every item of a catalog stream; a per-parent stream reads its parents' codes first."""
        if stream.read in (Read.PER_PARENT, Read.PER_PARENT_ARRAY):
            yield from self.iter_children(stream, self.parent_codes(stream))
        elif stream.read is Read.NESTED:
            yield from self.iter_nested(stream)
        elif stream.read is Read.UNPAGINATED:
            items = fetch_list(self.transport, stream.path, endpoint=stream.name)
            for start in range(0, len(items), self.settings.page_size):
                yield items[start : start + self.settings.page_size]
        else:
            yield from self.iter_list(stream)

    def list_params(self, stream: Stream) -> dict[str, Any]:
        return {**dict(stream.params), **({"limit": self.settings.page_size} if stream.limit else {})}

    def iter_list(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        return iter_pages(self.transport, stream.path, self.list_params(stream), endpoint=stream.name)

    def iter_nested(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        """Items nested in the items of another stream's list (`Stream.nested`), each stamped with the
        codes of the items it sits in (and its index, where the declaration asks for one)."""
        nested = stream.nested
        assert nested is not None
        outer = STREAMS[nested.stream]
        params = {**self.list_params(outer), **dict(stream.params)}
        for page in iter_pages(self.transport, outer.path, params, endpoint=stream.name, count_items=False):
            found: list[dict[str, Any]] = []
            for item in page:
                if not nested.types or item.get("type") in nested.types:
                    found.extend(_walk(item, nested.fields, nested.parents, nested.position))
            self.transport.counters.record(stream.name, items=len(found))
            if found:
                yield found

    def parent_codes(self, stream: Stream) -> list[str]:
        """Codes of the stream's parents, of the parent types it declares; the parent list is small.
        Types are filtered here: the `type` search filter is missing on older PIMs."""
        assert stream.parent is not None
        parent = STREAMS[stream.parent.stream]
        types = stream.parent.types
        return [item[parent.item_key[0]] for page in self.iter_list(parent) for item in page
                if not types or item.get("type") in types]

    def identifier_attribute(self) -> str | None:
        """The main identifier attribute's code, to shrink key-scan pages to one value."""
        found = [item for page in self.iter_list(STREAMS["attributes"]) for item in page
                 if item.get("type") == "pim_catalog_identifier"]
        main = [item for item in found if item.get("is_main_identifier")] or found
        return main[0]["code"] if main else None

    def iter_children(self, stream: Stream, parent_codes: Iterable[str | tuple[str, ...]],
                      updated_after: dict[tuple[str, ...], datetime] | None = None) -> Iterator[list[dict[str, Any]]]:
        """The children of each parent; `updated_after` (records, assets) gives, per parent key, the
        `updated` bound of an incremental read (a parent missing from it is read whole)."""
        bounds = updated_after or {}
        sources: list[PageSource] = [partial(self._children, stream, code, bounds.get(parent_key(code)))
                                     for code in parent_codes]
        workers = self.settings.max_concurrency
        yield from fan_in(sources, workers=workers, queue_pages=2 * workers)

    def _child_pages(self, stream: Stream, path: str, after: datetime | None) -> Iterator[list[dict[str, Any]]]:
        if stream.read is Read.PER_PARENT_ARRAY:
            return self._array_pages(stream, path)
        params = self.list_params(stream)
        if after is not None:
            params["search"] = updated_search(after)
        return iter_pages(self.transport, path, params, endpoint=stream.name)

    def _array_pages(self, stream: Stream, path: str) -> Iterator[list[dict[str, Any]]]:
        """A plain array, read when the first page is asked for (so a 404 meets the caller's handler)."""
        items = fetch_list(self.transport, path, endpoint=stream.name)
        size = self.settings.page_size
        for start in range(0, len(items), size):
            yield items[start: start + size]

    def _children(self, stream: Stream, parent_code: ParentKey,
                  after: datetime | None = None) -> Iterator[list[dict[str, Any]]]:
        assert stream.parent is not None
        fields, codes = stream.parent.fields, parent_key(parent_code)
        if len(fields) != len(codes):
            raise ValueError(f"{stream.name}: a parent key has {len(fields)} parts ({', '.join(fields)}), "
                             f"got {codes!r}")
        pages = self._child_pages(stream, child_path(stream, codes), after)
        try:
            first = next(pages, None)
        except AkeneoHTTPError as error:
            if error.status != 404 or not self._parent_vanished(stream, codes):
                raise
            log.warning("%s %r was removed from Akeneo while the run read it: its %s are skipped "
                        "(the next run reads the catalog without it)", stream.parent.field, "/".join(codes),
                        stream.name.replace("_", " "))
            return
        for page in _chain(first, pages):
            for item in page:
                for field, code in zip(fields, codes, strict=True):
                    item.setdefault(field, code)
            yield page

    def _parent_vanished(self, stream: Stream, parent_code: tuple[str, ...]) -> bool:
        assert stream.parent is not None
        parent = STREAMS[stream.parent.stream]
        outer = parent_code[:-1] or None
        path = item_path(parent, parent_code[-1], parent_code=outer)
        return get_one(self.transport, path, endpoint=parent.name) is None


def _chain(first: list[dict[str, Any]] | None, rest: Iterator[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    if first is None:
        return
    yield first
    yield from rest


def _walk(item: dict[str, Any], fields: Sequence[str], parents: Sequence[str],
          position: str) -> Iterator[dict[str, Any]]:
    """The dicts under `item[fields[0]][*][fields[1]][*]...`, stamped with the code of each level above."""
    children = item.get(fields[0])
    if not isinstance(children, list):
        return
    for index, child in enumerate(children):
        if not isinstance(child, dict):
            continue
        if len(fields) > 1:
            for grandchild in _walk(child, fields[1:], parents[1:], position):
                grandchild.setdefault(parents[0], item.get("code"))
                yield grandchild
            continue
        out = dict(child)
        out.setdefault(parents[0], item.get("code"))
        if position:
            out.setdefault(position, index)
        yield out
