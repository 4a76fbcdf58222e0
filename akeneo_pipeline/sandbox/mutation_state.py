"""The catalog state every mutation edits, and what each mutation does first and last: bump the
generation (so cached queries are rebuilt), draw from the seeded generator, stamp `updated`
(never ahead of the clock, never backwards) and re-index what the stamp moves.

The mutations themselves: product_mutations.py (products, product models), structure_mutations.py
(attribute options, attributes); mutations.py combines them into `CatalogMutations`.
"""

from __future__ import annotations

import random
import threading
from bisect import bisect_left, insort
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.records import ModelRecords, ProductRecords

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.auth import TokenStore


class MutationState:
    """Mixed (through `CatalogMutations`) into `Catalog` (catalog.py), whose state it edits; that state
    is declared here so the type checker holds all the classes to one shape."""

    seed: int
    lock: threading.RLock
    auth: TokenStore | None
    structure: dict[str, list[dict[str, Any]]]
    products: ProductRecords
    models: ModelRecords
    generation: int
    mutation_count: int
    value_overrides: dict[int, dict[str, list[Any]]]

    if TYPE_CHECKING:
        def now(self) -> int: ...
        def find_product(self, uuid: str) -> int | None: ...
        def find_product_model(self, code: str) -> int | None: ...
        def model_products(self, model: int) -> range: ...
        def _product_index(self, uuid: int) -> int | None: ...
        def _uuid(self, i: int) -> str: ...

    def _rng(self) -> random.Random:
        self.mutation_count += 1
        self.generation += 1
        return random.Random(f"mutation-{self.seed}-{self.mutation_count}")

    def _touch_product(self, i: int, now: int) -> None:
        self.products.updated[i] = now
        self._reindex(i)

    def _reindex(self, i: int) -> None:
        """Move product i to its new place in the indexed-`updated` order."""
        p = self.products
        stamp = p.indexed_updated(i, self.models)
        if stamp == p.indexed[i]:
            return
        pos = bisect_left(p.by_indexed, p.indexed[i], key=p.indexed.__getitem__)
        while p.by_indexed[pos] != i:
            pos += 1
        del p.by_indexed[pos]
        p.indexed[i] = stamp
        insort(p.by_indexed, i, key=p.indexed.__getitem__)

    def _stamp(self, at: int | None, own: list[int]) -> int:
        """`at` (default now) for items whose own stamps are `own`: never in the future, never
        before a stamp they already carry (Akeneo's `updated` only moves forward)."""
        now = self.now()
        if at is None:
            return now
        at = int(at)
        if at > now:
            raise ValueError(f"at={at} is after the sandbox clock ({now}): stamps never run ahead of the server")
        if own and at < max(own):
            raise ValueError(f"at={at} is before the item's current `updated` ({max(own)}): stamps only move forward")
        return at

