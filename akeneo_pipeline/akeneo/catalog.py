"""Catalog structure: the small endpoints, read whole, sub-resources read concurrently.

Family variants and attribute options live under their parent
(`families/{code}/variants`, `attributes/{code}/options`), one list per parent: a
catalog with hundreds of select attributes needs hundreds of lists, so they are
read side by side within the concurrency cap, and each item is stamped with its
parent's code (Akeneo's family variant item does not name its family).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from akeneo_pipeline.akeneo.fanin import fan_in
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import fetch_list, iter_pages
from akeneo_pipeline.akeneo.streams import (
    ATTRIBUTE_OPTIONS,
    CATALOG_STREAMS,
    OPTION_ATTRIBUTE_TYPES,
    Stream,
    catalog_stream,
    child_path,
)


class CatalogReader:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.settings = transport.settings

    def iter_stream(self, name: str) -> Iterator[list[dict[str, Any]]]:
        stream = catalog_stream(name)
        if stream.parent is not None:
            parents = self.codes(CATALOG_STREAMS[stream.parent])
            yield from self.iter_children(stream, parents)
        elif not stream.paginated:
            items = fetch_list(self.transport, stream.path, endpoint=stream.name)
            for start in range(0, len(items), self.settings.page_size):
                yield items[start : start + self.settings.page_size]
        else:
            yield from self.iter_list(stream)

    def iter_list(self, stream: Stream) -> Iterator[list[dict[str, Any]]]:
        params = {**dict(stream.params), "limit": self.settings.page_size}
        return iter_pages(self.transport, stream.path, params, endpoint=stream.name)

    def codes(self, stream: Stream) -> list[str]:
        """Just the codes of a (small) list: parents of sub-resources."""
        return [item[stream.key] for page in self.iter_list(stream) for item in page]

    def attributes_of_type(self, *types: str) -> list[dict[str, Any]]:
        """Attributes of the given types, filtered here: the `type` search filter is
        missing on older PIMs, and the attribute list is small anyway."""
        return [
            item
            for page in self.iter_list(CATALOG_STREAMS["attributes"])
            for item in page
            if item.get("type") in types
        ]

    def select_attribute_codes(self) -> list[str]:
        """Codes of the simple and multi select attributes: the ones with options."""
        return [item["code"] for item in self.attributes_of_type(*OPTION_ATTRIBUTE_TYPES)]

    def identifier_attribute(self) -> str | None:
        """The main identifier attribute's code, to shrink key-scan pages to one value."""
        found = self.attributes_of_type("pim_catalog_identifier")
        main = [item for item in found if item.get("is_main_identifier")] or found
        return main[0]["code"] if main else None

    def iter_attribute_options(self, attribute_codes: Iterable[str]) -> Iterator[list[dict[str, Any]]]:
        yield from self.iter_children(ATTRIBUTE_OPTIONS, list(attribute_codes))

    def iter_children(self, stream: Stream, parent_codes: list[str]) -> Iterator[list[dict[str, Any]]]:
        sources = [partial(self._children, stream, code) for code in parent_codes]
        workers = self.settings.max_concurrency
        yield from fan_in(sources, workers=workers, queue_pages=2 * workers)

    def _children(self, stream: Stream, parent_code: str) -> Iterator[list[dict[str, Any]]]:
        assert stream.parent_field is not None
        path = child_path(stream, parent_code)
        params = {**dict(stream.params), "limit": self.settings.page_size}
        for page in iter_pages(self.transport, path, params, endpoint=stream.name):
            for item in page:
                item.setdefault(stream.parent_field, parent_code)
            yield page
