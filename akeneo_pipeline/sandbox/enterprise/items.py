"""Code-keyed items with values and stamps (reference entity records, Asset Manager assets), kept
in code order so a search_after page is one bisection, and rendered the way the connector
actions write them.

Order: records and assets are listed by code and their search_after cursor is the last code of
the page (pim-community-dev, src/Akeneo/ReferenceEntity/back/Infrastructure/Connector/Api/Record/
GetConnectorRecordsAction.php: `RecordQuery::createPaginatedQueryUsingSearchAfter(..., limit,
RecordCode::fromString($searchAfter), ...)` and `'next' => $lastRecordCode`); the sandbox
encodes that code so clients cannot build cursors themselves (rest-api_pagination.md: the cursor
"should never be set manually").

Value filters: `channel` keeps the values whose channel is null or that channel, `locales` (comma
separated) those whose locale is null or one of them, and attributes left without values drop
out (ConnectorRecord::getRecordWithValuesFilteredOnChannel / ...OnLocales, same file tree; the
filter doc, "Record values by locale/channel" and "Asset values by locale/channel").
"""

from __future__ import annotations

import copy
from bisect import bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.sandbox.paging import query_value


@dataclass
class Item:
    code: str
    values: dict[str, list[dict[str, Any]]]
    created: int
    updated: int
    version: int = 0


@dataclass
class ItemStore:
    """Items by code, plus the codes in order."""

    items: dict[str, Item] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def add(self, item: Item) -> None:
        if item.code in self.items:
            raise ValueError(f"{item.code!r} already exists")
        self.items[item.code] = item
        insort(self.order, item.code)

    def remove(self, code: str) -> Item:
        item = self.items.pop(code)
        self.order.remove(code)
        return item

    def get(self, code: str) -> Item | None:
        return self.items.get(code)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Item]:
        return (self.items[code] for code in self.order)

    def page(self, after: str | None, limit: int, keep: Callable[[Item], bool]) -> list[Item]:
        """Up to `limit` items after code `after` (None: from the start) that `keep` accepts."""
        start = 0 if after is None else bisect_right(self.order, after)
        out: list[Item] = []
        for code in self.order[start:]:
            item = self.items[code]
            if keep(item):
                out.append(item)
                if len(out) == limit:
                    break
        return out


def filter_values(values: dict[str, list[dict[str, Any]]], channel: str | None,
                  locales: list[str] | None) -> dict[str, list[dict[str, Any]]]:
    """The `channel` and `locales` query parameters of the record and asset lists."""
    if channel is None and locales is None:
        return copy.deepcopy(values)
    out: dict[str, list[dict[str, Any]]] = {}
    for attribute, entries in values.items():
        kept = [copy.deepcopy(v) for v in entries
                if (channel is None or v.get("channel") is None or v.get("channel") == channel)
                and (locales is None or v.get("locale") is None or v.get("locale") in locales)]
        if kept:
            out[attribute] = kept
    return out


def value_filters(query: dict[str, list[str]]) -> tuple[str | None, list[str] | None]:
    """(channel, locales) from the query string; an empty `locales` means no locale filter."""
    channel = query_value(query, "channel") or None
    raw = query_value(query, "locales") or ""
    locales = [code for code in raw.split(",") if code] or None
    return channel, locales
