"""The sandbox's state: catalog structure, product and product model records, and the
readers the API and tests share (mutations live in `mutations.py` and the modules it combines).

One lock guards everything; list queries return index arrays in primary-key order,
cached per (search, catalog generation) so walking 10,000 pages of a 1,000,000
product catalog does not re-filter it each time.

The `updated` filter matches the one `updated` Akeneo's search index holds per item, not
the item's own stamp: a variant product is indexed with the newest of its own and its
parent models' stamps, a sub product model with the newer of its own and its root's
(`records.py`, `indexed_updated`, citing pim-community-dev's Elasticsearch projections).
So a variant whose parent model changed after it is listed only by a window holding the
parent's stamp, while the item served shows its own older stamp. Products keep that
indexed stamp in a sorted array, maintained by every mutation, so a time window is two
bisections whatever the catalog size.
"""

from __future__ import annotations

import copy
import threading
import time
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from akeneo_pipeline.sandbox.app_catalogs import AppCatalogs
from akeneo_pipeline.sandbox.auth import TokenStore
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.enterprise.catalog import EnterpriseCatalog
from akeneo_pipeline.sandbox.enterprise.mutations import EnterpriseMutations
from akeneo_pipeline.sandbox.enterprise.product_attributes import augment_structure
from akeneo_pipeline.sandbox.filters import ProductFilter, ServerClock, in_intervals
from akeneo_pipeline.sandbox.item_bytes import ItemBytes
from akeneo_pipeline.sandbox.mutations import CatalogMutations
from akeneo_pipeline.sandbox.products import iso, product_item, product_model_item, uuid_str
from akeneo_pipeline.sandbox.records import ModelRecords, ProductRecords
from akeneo_pipeline.sandbox.structure_items import build_structure

STREAMS = ("channels", "locales", "currencies", "attribute_groups", "attributes", "families", "family_variants",
           "categories", "association_types", "measurement_families", "attribute_options")
CACHED_QUERIES = 16  # match lists kept, products and product models together


class Catalog(CatalogMutations, EnterpriseMutations):
    def __init__(self, config: SandboxConfig, auth: TokenStore | None = None) -> None:
        self.seed = config.seed
        self.anchor = config.anchor if config.anchor is not None else int(time.time()) // 86400 * 86400
        self.lock = threading.RLock()
        # The server's time zone: stamps are rendered with its offset, filter dates read in it.
        self.clock = ServerClock(ZoneInfo(config.timezone), config.fold)
        self.auth = auth  # the TokenStore, for change_password / revoke_app_tokens
        self.structure = build_structure(config.seed, self.anchor, config.history_days,
                                         config.extra_select_attributes, config.options_per_extra_attribute)
        # Enterprise / Growth data (sandbox/enterprise): empty on Community, which keeps its catalog as it was.
        self.enterprise = EnterpriseCatalog(config, self.anchor, self.clock.zone)
        augment_structure(self.structure, self.enterprise.edition, config.seed, self.anchor, config.history_days)
        self.models = ModelRecords.generate(config.seed, config.products, self.anchor, config.history_days)
        self.products = ProductRecords.generate(config.seed, config.products, self.anchor, config.history_days,
                                                self.models)
        self.generation = 0  # bumped by every mutation; part of every cache key
        self.generated_products = 0  # how many product JSONs were built: proves laziness
        self.generated_product_models = 0
        self.mutation_count = 0
        self.last_now = 0
        self.value_overrides: dict[int, dict[str, list]] = {}  # set by `override_values`, for hostile-data tests
        self._cache: OrderedDict[tuple, array] = OrderedDict()
        self.item_bytes = ItemBytes()  # products' JSON bytes, when `item_byte_cache` is on (item_bytes.py)
        self.removed_categories: set[str] = set()  # deleted categories no item lists (category_removal.py)
        self.app_catalogs = AppCatalogs(self)  # the catalogs Apps created (app_catalogs.py)

    def now(self) -> int:
        """Seconds, never earlier than a time already handed out nor than the generated history."""
        with self.lock:
            self.last_now = max(int(time.time()), self.last_now, self.anchor)
            return self.last_now

    # ---- products -------------------------------------------------------------------
    def product(self, i: int) -> dict[str, Any]:
        with self.lock:
            self.generated_products += 1
            item = product_item(self.products, self.models, i, self.seed, self.zone, self.enterprise.product_values)
            item["values"].update(copy.deepcopy(self.value_overrides.get(i, {})))
            return self._unclassify(item)

    def find_product(self, uuid: str) -> int | None:
        try:
            value = int(uuid.replace("-", ""), 16)
        except ValueError:
            return None
        with self.lock:
            i = self._product_index(value)
            return i if i is not None and not self.products.deleted[i] else None

    def _product_index(self, uuid: int) -> int | None:
        """The index of the product with this uuid (as an int), deleted or not."""
        p = self.products
        pos = bisect_left(p.order, uuid, key=p.uuid.__getitem__)
        return p.order[pos] if pos < len(p.order) and p.uuid[p.order[pos]] == uuid else None

    def product_identifier(self, i: int) -> str:
        """Product `i`'s identifier (its `sku` value) without generating its JSON."""
        override = self.value_overrides.get(i, {}).get("sku")
        return str(override[0]["data"]) if override else f"SKU-{i:07d}"  # products.value_data

    def find_product_by_identifier(self, identifier: str) -> int | None:
        with self.lock:
            p = self.products
            digits = identifier.removeprefix("SKU-")
            candidates = [int(digits)] if digits.isdigit() else []
            candidates += [i for i in self.value_overrides if i not in candidates]
            for i in candidates:
                if i < len(p.uuid) and not p.deleted[i] and self.product_identifier(i) == identifier:
                    return i
            return None

    def product_keys_by_identifier(self, f: ProductFilter, cache_key: str) -> array:
        """Indexes of live products matching `f`, in identifier order (`/products` search_after)."""
        return self._cached("products_by_identifier", cache_key,
                            lambda: array("l", sorted(self.product_keys(f, cache_key), key=self.product_identifier)))

    def model_products(self, model: int) -> range:
        """Indexes of the variant products under a model (children and grandchildren)."""
        return self.products.variants_of(model)

    def product_keys(self, f: ProductFilter, cache_key: str) -> array:
        """Indexes of live products matching `f`, in uuid order."""
        return self._cached("products", cache_key, lambda: self._match_products(f))

    def _cached(self, kind: str, cache_key: str, match: Callable[[], array]) -> array:
        """The match list of one search in this catalog generation, kept in a small LRU."""
        with self.lock:
            key = (kind, cache_key, self.generation)
            if key not in self._cache:
                self._cache[key] = match()
                while len(self._cache) > CACHED_QUERIES:
                    self._cache.popitem(last=False)
            self._cache.move_to_end(key)
            return self._cache[key]

    def _match_products(self, f: ProductFilter) -> array:
        p = self.products
        candidates: set[int] | None = None
        if f.uuid_in is not None:
            candidates = {i for u in f.uuid_in if (i := self.find_product(u)) is not None}
        else:
            # Time windows bisect sorted indexes, as Elasticsearch answers a range query from its
            # index instead of reading every document: `updated` the indexed stamp (a variant's
            # newest of its own and its models'), `created` the product's own, which never changes.
            indexes = ((f.updated, p.indexed, p.by_indexed), (f.created, p.created, p.by_created))
            for intervals, stamps, order in indexes:
                if intervals is None:
                    continue
                found: set[int] = set()
                for lo, hi in intervals:
                    start = bisect_left(order, lo, key=stamps.__getitem__)
                    stop = bisect_left(order, hi + 1, key=stamps.__getitem__)
                    found.update(order[start:stop])
                candidates = found if candidates is None else candidates & found
        ordered = p.order if candidates is None else sorted(candidates, key=p.uuid.__getitem__)
        out = array("l")
        for i in ordered:
            if p.deleted[i]:
                continue
            if f.updated is not None and f.uuid_in is not None and not in_intervals(p.indexed[i], f.updated):
                continue
            if f.created is not None and not in_intervals(p.created[i], f.created):
                continue
            if f.enabled is not None and p.enabled(i) != f.enabled:
                continue
            if f.family_in is not None or f.family_not_in:
                family = p.family(i, self.seed)
                if (f.family_in is not None and family not in f.family_in) or family in f.family_not_in:
                    continue
            if f.uuid_not_in and self._uuid(i) in f.uuid_not_in:
                continue
            out.append(i)
        return out

    def _uuid(self, i: int) -> str:
        return uuid_str(self.products.uuid[i])

    # ---- product models ------------------------------------------------------------------
    def product_model(self, model: int) -> dict[str, Any]:
        with self.lock:
            self.generated_product_models += 1
            return self._unclassify(product_model_item(self.models, model, self.seed, self.zone))

    def _unclassify(self, item: dict[str, Any]) -> dict[str, Any]:
        """An item without the categories deleted since it was generated (category_removal.py)."""
        if self.removed_categories:
            item["categories"] = [c for c in item["categories"] if c not in self.removed_categories]
        return item

    def find_product_model(self, code: str) -> int | None:
        with self.lock:
            m = self.models
            pos = bisect_left(m.order, code, key=m.code.__getitem__)
            return m.order[pos] if pos < len(m.order) and m.code[m.order[pos]] == code else None

    def product_model_keys(self, f: ProductFilter, cache_key: str) -> array:
        """Ids of product models matching `f`, in code order."""
        return self._cached("models", cache_key, lambda: self._match_product_models(f))

    def _match_product_models(self, f: ProductFilter) -> array:
        m, out = self.models, array("l")
        for model in m.order:
            # The indexed stamp: a sub product model's is the newer of its own and its root's.
            if f.updated is not None and not in_intervals(m.indexed_updated(model), f.updated):
                continue
            if f.created is not None and not in_intervals(m.created[model], f.created):
                continue
            family = "clothing" if model % 4 < 3 else "shoes"
            if (f.family_in is not None and family not in f.family_in) or family in f.family_not_in:
                continue
            out.append(model)
        return out

    # ---- ground truth ----------------------------------------------------------------
    def iter_products(self) -> Iterator[dict[str, Any]]:
        """Every live product, in uuid order, as the API would return it."""
        for i in self.product_keys(ProductFilter(), "{}"):
            yield self.product(i)

    def iter_product_models(self) -> Iterator[dict[str, Any]]:
        for model in self.product_model_keys(ProductFilter(), "{}"):
            yield self.product_model(model)

    def items(self, stream: str) -> list[dict[str, Any]]:
        """A catalog-structure stream as API items; family variants also carry `family`."""
        if stream not in STREAMS:
            raise ValueError(f"unknown stream {stream!r}; expected one of {', '.join(STREAMS)}")
        with self.lock:
            return [render(item, self.zone) for item in self.structure[stream]]

    def options_of(self, attribute: str) -> list[dict[str, Any]]:
        """One attribute's options as API items: `items("attribute_options")` filtered, without
        rendering the other attributes' (a large catalog has 20,000)."""
        with self.lock:
            return [render(item, self.zone) for item in self.structure["attribute_options"]
                    if item["attribute"] == attribute]

    @property
    def zone(self) -> tzinfo:
        return self.clock.zone


def render(item: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    """API form of a stored structure item: `_updated` -> `updated` (in the server's zone), `_family` -> `family`."""
    out = {k: copy.deepcopy(v) for k, v in item.items() if not k.startswith("_")}
    if "_updated" in item:
        out["updated"] = iso(item["_updated"], zone)
    if "_family" in item:
        out["family"] = item["_family"]
    return out
