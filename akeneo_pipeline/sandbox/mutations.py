"""What a merchandiser does between two pipeline runs, applied to the sandbox catalog.

Each mutation bumps the catalog generation (so cached queries are rebuilt) and
stamps `updated` with `Catalog.now()`, which never goes backwards, or, for edits of
products and product models, at a chosen second `at` of the past (so a test can build
a history such as "variants edited early, their parent models late" in one go). Which
products are touched is drawn from a seeded generator unless the caller names them:
the same calls give the same changes. Bad input raises ValueError naming the cause;
nothing is half-applied.

A changed stamp also moves the indexed `updated` of what depends on it: the product
itself, or every variant product under an edited product model (see catalog.py).
"""

from __future__ import annotations

import random
import threading
from bisect import bisect_left, insort
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.records import ModelRecords, ProductRecords, random_uuid
from akeneo_pipeline.sandbox.structure_items import attribute_item

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.auth import TokenStore

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


class CatalogMutations:
    """Mixed into `Catalog` (catalog.py), whose state it edits; that state is declared here so the
    type checker holds both classes to one shape."""

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

    # ---- attribute options and attributes -----------------------------------------
    def _option(self, attribute: str, code: str) -> dict[str, Any]:
        for option in self.structure["attribute_options"]:
            if option["attribute"] == attribute and option["code"] == code:
                return option
        raise ValueError(f"attribute option {attribute}.{code} does not exist")

    def _select_options(self, attribute_code: str) -> list[dict[str, Any]]:
        """The options of a simple or multi select attribute; ValueError for any other attribute."""
        attr = next((a for a in self.structure["attributes"] if a["code"] == attribute_code), None)
        if attr is None or attr["type"] not in SELECT_TYPES:
            raise ValueError(f"attribute {attribute_code!r} does not exist or is not a simple/multi select")
        return [o for o in self.structure["attribute_options"] if o["attribute"] == attribute_code]

    def add_option(self, attribute_code: str, code: str, labels: dict[str, str],
                   sort_order: int | None = None) -> None:
        with self.lock:
            siblings = self._select_options(attribute_code)
            if any(o["code"] == code for o in siblings):
                raise ValueError(f"attribute option {attribute_code}.{code} already exists")
            if sort_order is None:
                sort_order = max((o["sort_order"] for o in siblings), default=-1) + 1
            self._rng()
            self.structure["attribute_options"].append(
                {"code": code, "attribute": attribute_code, "sort_order": sort_order, "labels": dict(labels)})

    def add_options(self, attribute_code: str, options: dict[str, dict[str, str]]) -> None:
        """Many `add_option`s at once (code -> labels), in one pass: 10,000 options stay quick."""
        with self.lock:
            siblings = self._select_options(attribute_code)
            taken = {o["code"] for o in siblings} & set(options)
            if taken:
                raise ValueError(f"attribute option(s) {sorted(taken)[:5]} of {attribute_code} already exist")
            start = max((o["sort_order"] for o in siblings), default=-1) + 1
            self._rng()
            self.structure["attribute_options"].extend(
                {"code": code, "attribute": attribute_code, "sort_order": start + n, "labels": dict(labels)}
                for n, (code, labels) in enumerate(options.items()))

    def relabel_option(self, attribute_code: str, code: str, locale: str, label: str | None) -> None:
        """Set (or with None, remove) one locale's label. An option change is not an attribute update."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            if label is None:
                option["labels"].pop(locale, None)
            else:
                option["labels"][locale] = label

    def remove_option(self, attribute_code: str, code: str) -> None:
        """Products keep pointing at the removed option, as they do in real catalogs."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            self.structure["attribute_options"].remove(option)

    def reorder_option(self, attribute_code: str, code: str, sort_order: int) -> None:
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            option["sort_order"] = int(sort_order)

    def add_attribute(self, code: str, type: str, group: str = "marketing", localizable: bool = False,
                      scopable: bool = False, **extra: Any) -> None:
        with self.lock:
            if any(a["code"] == code for a in self.structure["attributes"]):
                raise ValueError(f"attribute {code!r} already exists")
            target = next((g for g in self.structure["attribute_groups"] if g["code"] == group), None)
            if target is None:
                raise ValueError(f"attribute group {group!r} does not exist")
            self._rng()
            now = self.now()
            item = attribute_item(code, len(self.structure["attributes"]), now,
                                  (type, group, localizable, scopable, extra))
            self.structure["attributes"].append(item)
            target["attributes"].append(code)
            target["_updated"] = now

    def remove_attribute(self, code: str) -> None:
        """Delete an attribute with its options, as a PIM user does in the UI (the REST API has no
        DELETE for attributes; the Swagger file lists GET and PATCH). Only an attribute no family
        uses: the sandbox's products are generated from its fixed families."""
        with self.lock:
            attribute = next((a for a in self.structure["attributes"] if a["code"] == code), None)
            if attribute is None:
                raise ValueError(f"attribute {code!r} does not exist")
            users = [f["code"] for f in self.structure["families"] if code in f["attributes"]]
            if users:
                raise ValueError(f"attribute {code!r} is used by families {users}; the sandbox removes only "
                                 "attributes no family uses")
            self._rng()
            self.structure["attributes"].remove(attribute)
            self.structure["attribute_options"] = [o for o in self.structure["attribute_options"]
                                                   if o["attribute"] != code]
            for group in self.structure["attribute_groups"]:
                if code in group["attributes"]:
                    group["attributes"].remove(code)
                    group["_updated"] = self.now()

    # ---- credentials -----------------------------------------------------------------
    def change_password(self, new_password: str) -> None:
        self._tokens().change_password(new_password)

    def revoke_app_tokens(self) -> int:
        return self._tokens().revoke_app_tokens()

    def _tokens(self) -> TokenStore:
        if self.auth is None:
            raise RuntimeError("this catalog has no token store: credentials change only on a SandboxServer's catalog")
        return self.auth
