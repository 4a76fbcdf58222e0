"""Products' JSON bytes kept between requests, for a sandbox that must not be the bottleneck.

A product is generated from its seed on every request (products.py), about 0.08 ms of CPU
an item: 8 ms a 100-item page, most of a one-process sandbox's work when a benchmark reads
100,000 products 4 calls at a time. With `item_byte_cache` on, the first answer that lists a
product keeps its encoded bytes (its `_links.self` included) and later pages embed them as
they are (`orjson.Fragment`), so a page costs one join. The bytes are exactly what encoding
the item would give, so answers do not change; entries are keyed by the catalog generation,
which every mutation bumps, so an edited product is generated afresh. Off by default: it
holds ~1.5 KB a product, and tests that count generated products expect generation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson


class ItemBytes:
    def __init__(self) -> None:
        self.generation = -1
        self.base = ""
        self.entries: dict[int, orjson.Fragment] = {}

    def page(self, generation: int, base: str, indexes: Sequence[int],
             build: Callable[[int], dict[str, Any]]) -> list[orjson.Fragment] | None:
        """The products `indexes` as Fragments of their bytes; None when orjson refuses one of
        them (an integer beyond 64 bits a test planted): the caller then builds the page as
        dicts, which the handler's standard-library fallback can encode (it cannot encode a
        Fragment)."""
        if generation != self.generation or base != self.base:
            self.generation, self.base, self.entries = generation, base, {}
        fragments = []
        for i in indexes:
            fragment = self.entries.get(i)
            if fragment is None:
                try:
                    fragment = orjson.Fragment(orjson.dumps(build(i)))
                except TypeError:
                    return None
                self.entries[i] = fragment
            fragments.append(fragment)
        return fragments
