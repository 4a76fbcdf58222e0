"""What a merchandiser does to products and product models between two pipeline runs.

Edits are stamped with `Catalog.now()` or at a chosen second `at` of the past (so a test can build
a history such as "variants edited early, their parent models late" in one go). Which items are
touched is drawn from a seeded generator unless the caller names them: the same calls give the
same changes. Bad input raises ValueError naming the cause; nothing is half-applied.

A changed stamp also moves the indexed `updated` of what depends on it: the product itself, or
every variant product under an edited product model (see catalog.py).
"""

from __future__ import annotations

import random
from bisect import insort

from akeneo_pipeline.sandbox.mutation_state import MutationState
from akeneo_pipeline.sandbox.records import random_uuid


class ProductMutations(MutationState):
    """Creating, editing, deleting and restoring products; editing product models."""

    def _live_sample(self, n: int, rng: random.Random) -> list[int]:
        p = self.products
        live = len(p.uuid) - sum(p.deleted)
        if not 0 <= n <= live:
            raise ValueError(f"cannot pick {n} products: the catalog has {live} live products")
        if n > live // 2:
            return rng.sample([i for i in range(len(p.uuid)) if not p.deleted[i]], n)
        chosen: set[int] = set()
        while len(chosen) < n:
            i = rng.randrange(len(p.uuid))
            if not p.deleted[i]:
                chosen.add(i)
        return sorted(chosen)

    def update_products(self, n: int | None = None, *, uuids: list[str] | None = None,
                        at: int | None = None) -> list[str]:
        """Edit n live products drawn at random, or exactly `uuids`: new values (version + 1)
        and `updated` = `at` (epoch seconds, default now)."""
        with self.lock:
            if (n is None) == (uuids is None):
                raise ValueError("give either n (products drawn at random) or uuids, not both")
            if uuids is None:
                chosen = self._live_sample(int(n), self._rng())  # type: ignore[arg-type]
            else:
                chosen = [self._live_product(uuid) for uuid in uuids]
                self._rng()
            stamp = self._stamp(at, [self.products.updated[i] for i in chosen])
            for i in chosen:
                self.products.version[i] += 1
                self._touch_product(i, stamp)
            return [self._uuid(i) for i in chosen]

    def _live_product(self, uuid: str) -> int:
        i = self.find_product(uuid)
        if i is None:
            raise ValueError(f"product {uuid} does not exist")
        return i

    def create_products(self, n: int) -> list[str]:
        if n < 0:
            raise ValueError(f"cannot create {n} products")
        with self.lock:
            rng, now, p, made = self._rng(), self.now(), self.products, []
            for _ in range(n):
                value = random_uuid(rng)
                while self._product_index(value) is not None:
                    value = random_uuid(rng)
                i = len(p.uuid)
                p.uuid.append(value)
                p.updated.append(now)
                p.created.append(now)
                p.version.append(0)
                p.deleted.append(0)
                insort(p.order, i, key=p.uuid.__getitem__)
                p.indexed.append(now)  # a simple product: indexed with its own stamp
                p.by_indexed.append(i)
                insort(p.by_created, i, key=p.created.__getitem__)
                made.append(self._uuid(i))
            return made

    def delete_products(self, n: int) -> list[str]:
        """Delete n live products: they stop being listed, exactly as in Akeneo."""
        with self.lock:
            chosen = self._live_sample(n, self._rng())
            for i in chosen:
                self.products.deleted[i] = 1
            return [self._uuid(i) for i in chosen]

    def restore_products(self, uuids: list[str]) -> None:
        """Bring deleted products back (with `updated` = now, so incremental reads see them)."""
        with self.lock:
            p, found = self.products, []
            for uuid in uuids:
                i = self._product_index(int(uuid.replace("-", ""), 16))
                if i is None:
                    raise ValueError(f"product {uuid} never existed in this sandbox")
                found.append(i)
            self._rng()
            now = self.now()
            for i in found:
                p.deleted[i] = 0
                self._touch_product(i, now)

    def update_product_models(self, n: int | None = None, *, codes: list[str] | None = None,
                              at: int | None = None) -> list[str]:
        """Edit n product models drawn at random, or exactly `codes`: new values and `updated` =
        `at` (default now). Their variant products keep their own stamp, but Akeneo re-indexes
        them with the model's (and a root's sub product models with the root's)."""
        with self.lock:
            m = self.models
            if (n is None) == (codes is None):
                raise ValueError("give either n (product models drawn at random) or codes, not both")
            if codes is None:
                if not 0 <= int(n) <= len(m.order):  # type: ignore[arg-type]
                    raise ValueError(f"cannot pick {n} product models: the catalog has {len(m.order)}")
                chosen = sorted(self._rng().sample(m.order, int(n)))  # type: ignore[arg-type]
            else:
                chosen = []
                for code in codes:
                    model = self.find_product_model(code)
                    if model is None:
                        raise ValueError(f"product model {code!r} does not exist")
                    chosen.append(model)
                self._rng()
            stamp = self._stamp(at, [m.updated[model] for model in chosen])
            for model in chosen:
                m.version[model] += 1
                m.updated[model] = stamp
                for i in self.model_products(model):
                    self._reindex(i)
            return [m.code[model] for model in chosen]

    def override_values(self, uuid: str, values: dict[str, list]) -> None:
        """Test hook: give one product values the generator never makes (odd codes, null locales,
        data of unexpected types); they are sent as given, on top of its generated values."""
        with self.lock:
            i = self.find_product(uuid)
            if i is None:
                raise ValueError(f"product {uuid} does not exist")
            self._rng()
            self.value_overrides[i] = {**self.value_overrides.get(i, {}), **values}
            self._touch_product(i, self.now())
