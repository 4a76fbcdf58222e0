"""What a merchandiser does between two pipeline runs, applied to the sandbox catalog.

Each mutation bumps the catalog generation (so cached queries are rebuilt) and
stamps `updated` with `Catalog.now()`, which never goes backwards. Which products
are touched is drawn from a seeded generator: the same calls give the same changes.
Bad input raises ValueError naming the cause; nothing is half-applied.
"""

from __future__ import annotations

import random
from bisect import bisect_left, insort
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.records import random_uuid
from akeneo_pipeline.sandbox.structure_items import attribute_item

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.catalog import Catalog

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


class CatalogMutations:
    def _rng(self: "Catalog") -> random.Random:
        self.mutation_count += 1
        self.generation += 1
        return random.Random(f"mutation-{self.seed}-{self.mutation_count}")

    def _touch_product(self: "Catalog", i: int, now: int) -> None:
        p = self.products
        pos = bisect_left(p.by_updated, p.updated[i], key=p.updated.__getitem__)
        while p.by_updated[pos] != i:
            pos += 1
        del p.by_updated[pos]
        p.updated[i] = now
        insort(p.by_updated, i, key=p.updated.__getitem__)

    def _live_sample(self: "Catalog", n: int, rng: random.Random) -> list[int]:
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

    def update_products(self: "Catalog", n: int) -> list[str]:
        """Edit n live products: new values (version + 1) and `updated` = now."""
        with self.lock:
            chosen, now = self._live_sample(n, self._rng()), self.now()
            for i in chosen:
                self.products.version[i] += 1
                self._touch_product(i, now)
            return [self._uuid(i) for i in chosen]

    def create_products(self: "Catalog", n: int) -> list[str]:
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
                p.by_updated.append(i)
                made.append(self._uuid(i))
            return made

    def delete_products(self: "Catalog", n: int) -> list[str]:
        """Delete n live products: they stop being listed, exactly as in Akeneo."""
        with self.lock:
            chosen = self._live_sample(n, self._rng())
            for i in chosen:
                self.products.deleted[i] = 1
            return [self._uuid(i) for i in chosen]

    def restore_products(self: "Catalog", uuids: list[str]) -> None:
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

    def update_product_models(self: "Catalog", n: int) -> list[str]:
        with self.lock:
            m = self.models
            if not 0 <= n <= len(m.order):
                raise ValueError(f"cannot pick {n} product models: the catalog has {len(m.order)}")
            chosen, now = sorted(self._rng().sample(m.order, n)), self.now()
            for model in chosen:
                m.version[model] += 1
                m.updated[model] = now
            return [m.code[model] for model in chosen]

    def override_values(self: "Catalog", uuid: str, values: dict[str, list]) -> None:
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
    def _option(self: "Catalog", attribute: str, code: str) -> dict[str, Any]:
        for option in self.structure["attribute_options"]:
            if option["attribute"] == attribute and option["code"] == code:
                return option
        raise ValueError(f"attribute option {attribute}.{code} does not exist")

    def _select_options(self: "Catalog", attribute_code: str) -> list[dict[str, Any]]:
        """The options of a simple or multi select attribute; ValueError for any other attribute."""
        attr = next((a for a in self.structure["attributes"] if a["code"] == attribute_code), None)
        if attr is None or attr["type"] not in SELECT_TYPES:
            raise ValueError(f"attribute {attribute_code!r} does not exist or is not a simple/multi select")
        return [o for o in self.structure["attribute_options"] if o["attribute"] == attribute_code]

    def add_option(self: "Catalog", attribute_code: str, code: str, labels: dict[str, str],
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

    def add_options(self: "Catalog", attribute_code: str, options: dict[str, dict[str, str]]) -> None:
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

    def relabel_option(self: "Catalog", attribute_code: str, code: str, locale: str, label: str | None) -> None:
        """Set (or with None, remove) one locale's label. An option change is not an attribute update."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            if label is None:
                option["labels"].pop(locale, None)
            else:
                option["labels"][locale] = label

    def remove_option(self: "Catalog", attribute_code: str, code: str) -> None:
        """Products keep pointing at the removed option, as they do in real catalogs."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            self.structure["attribute_options"].remove(option)

    def reorder_option(self: "Catalog", attribute_code: str, code: str, sort_order: int) -> None:
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            option["sort_order"] = int(sort_order)

    def add_attribute(self: "Catalog", code: str, type: str, group: str = "marketing", localizable: bool = False,
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

    def remove_attribute(self: "Catalog", code: str) -> None:
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
    def change_password(self: "Catalog", new_password: str) -> None:
        self.auth.change_password(new_password)

    def revoke_app_tokens(self: "Catalog") -> int:
        return self.auth.revoke_app_tokens()
