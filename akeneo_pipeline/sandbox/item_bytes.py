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

from collections.abc import Callable
from typing import Any

import orjson


class ItemBytes:
    def __init__(self) -> None:
        self.generation = -1
        self.base = ""
        self.entries: dict[int, orjson.Fragment] = {}

    def get(self, generation: int, base: str, i: int, build: Callable[[], dict[str, Any]]) -> Any:
        """Product `i`'s item as a Fragment of its bytes, or as the dict when orjson refuses it."""
        if generation != self.generation or base != self.base:
            self.generation, self.base, self.entries = generation, base, {}
        fragment = self.entries.get(i)
        if fragment is None:
            item = build()
            try:
                fragment = orjson.Fragment(orjson.dumps(item))
            except TypeError:  # e.g. an integer beyond 64 bits a test planted: the stdlib encodes the page
                return item
            self.entries[i] = fragment
        return fragment
