"""Compact per-item records: what the sandbox remembers about each product and product
model, so a 1,000,000-product catalog costs tens of megabytes and starts in seconds.

A product's JSON is never stored; `products.py` regenerates it from (seed, index,
version). Its family, parent and status are pure arithmetic on the index, so
filters run over the records without generating anything.

Variant layout of the initial catalog, per block of 8 consecutive indexes:
block % 4 == 0 is a two-level `clothing_color_size` model (root + 2 colour
sub-models, 4 sizes each), block % 4 == 1 a one-level `shoes_size` model with 8
sizes, other blocks are simple products. Model ids are `4 * (block // 4) + k`.

Each product keeps two stamps: its own `updated` (what the item shows) and `indexed`,
the one `updated` Akeneo's search index holds for it and the `updated` filter matches
(the newest of its own and its parent models' stamps; see `indexed_updated`).
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass, field

from akeneo_pipeline.sandbox.structure import OPTION_WORDS, SIMPLE_FAMILIES

BLOCK = 8
COLORS = [code for code, _, _ in OPTION_WORDS["color"]]


def updated_times(seed: int, anchor: int, history_days: int, count: int, salt: str) -> tuple[array[int], array[int]]:
    """(updated, created) epoch seconds. Most edits land in bursts (imports, bulk edits)
    that share the same hour, some are scattered; recent months are busier."""
    rng = random.Random(f"times-{salt}-{seed}")
    span = history_days * 86400
    bursts = sorted(anchor - int(span * rng.random() ** 1.7) - 3600 for _ in range(max(8, history_days // 3)))
    updated, created = array("q"), array("q")
    rand, choice, randrange = rng.random, rng.choice, rng.randrange
    for _ in range(count):
        if rand() < 0.85:
            u = choice(bursts) + randrange(3600)
        else:
            u = anchor - 1 - randrange(span)
        updated.append(u)
        created.append(u - randrange(90 * 86400))
    return updated, created


def random_uuid(rng: random.Random) -> int:
    """A version-4 UUID as an int, drawn from `rng` so catalogs are reproducible."""
    value = rng.getrandbits(128)
    return (value & ~(0xF << 76) & ~(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)


def model_kind(block: int) -> int:
    """2 = two-level clothing model, 1 = one-level shoes model, 0 = simple products."""
    return {0: 2, 1: 1}.get(block % 4, 0)


@dataclass
class ProductRecords:
    """Parallel arrays indexed by product index; `order` holds indexes sorted by uuid."""

    initial: int
    uuid: list[int]
    updated: array[int]  # the product's own `updated`, as its item shows it
    created: array[int]
    version: array[int]
    deleted: bytearray
    order: array[int]  # product indexes in uuid order (search_after = primary key order)
    indexed: array[int]  # the `updated` the search index holds (`indexed_updated`), what filters match
    by_indexed: array[int]  # product indexes in `indexed` order, for bisecting time windows
    by_created: array[int]  # product indexes in `created` order (which never changes), likewise

    @classmethod
    def generate(cls, seed: int, count: int, anchor: int, history_days: int,
                 models: ModelRecords) -> ProductRecords:
        rng = random.Random(f"uuids-{seed}")
        uuids = [random_uuid(rng) for _ in range(count)]
        updated, created = updated_times(seed, anchor, history_days, count, "product")
        order = array("l", sorted(range(count), key=uuids.__getitem__))
        indexed = array("q", updated)
        records = cls(count, uuids, updated, created, array("l", bytes(8 * count)), bytearray(count), order,
                      indexed, array("l"), array("l", sorted(range(count), key=created.__getitem__)))
        for model in models.code:  # = indexed_updated for every product, a model's variants at a time
            stamp = models.indexed_updated(model)
            for i in records.variants_of(model):
                if indexed[i] < stamp:
                    indexed[i] = stamp
        records.by_indexed = array("l", sorted(range(count), key=indexed.__getitem__))
        return records

    def family(self, i: int, seed: int) -> str | None:
        kind = model_kind(i // BLOCK) if i < self.initial else 0
        if kind == 2:
            return "clothing"
        if kind == 1:
            return "shoes"
        h = (i * 2654435761 + seed * 97) % 1000
        return None if h < 15 else SIMPLE_FAMILIES[h % len(SIMPLE_FAMILIES)]

    def enabled(self, i: int) -> bool:
        return (i * 40503 + 7) % 10 != 0

    def indexed_updated(self, i: int, models: ModelRecords) -> int:
        """The one `updated` Akeneo indexes for product i: the newest of its own stamp and its
        parent models' (pim-community-dev, GetElasticsearchProductProjection.php:
        `GREATEST(product.updated, COALESCE(sub_product_model.updated, 0),
        COALESCE(root_product_model.updated, 0)) AS updated_date`, indexed as `updated` by
        ElasticsearchProductProjection::toArray, the field the `updated` filter reads). The item
        itself still shows its own stamp (`entity_updated` in the index)."""
        parent = self.parent_model(i)
        own = self.updated[i]
        return own if parent is None else max(own, models.indexed_updated(parent))

    def variants_of(self, model: int) -> range:
        """Indexes of the variant products under a model (children and grandchildren)."""
        base, k = divmod(model, 4)
        block = 4 * base + (1 if k == 3 else 0)
        start = block * BLOCK + (4 * (k - 1) if k in (1, 2) else 0)
        stop = block * BLOCK + (4 * k if k in (1, 2) else BLOCK)
        return range(start, min(stop, self.initial))

    def parent_model(self, i: int) -> int | None:
        """Model id of a variant product's direct parent, None for a simple product."""
        if i >= self.initial:
            return None
        block, pos = divmod(i, BLOCK)
        kind = model_kind(block)
        base = 4 * (block // 4)
        if kind == 2:
            return base + 1 + pos // 4
        if kind == 1:
            return base + 3
        return None


@dataclass
class ModelRecords:
    """Product models: id -> code, parent, times; `order` holds ids sorted by code."""

    code: dict[int, str]
    parent: dict[int, int | None]
    updated: dict[int, int]
    created: dict[int, int]
    version: dict[int, int]
    order: list[int]
    # Rendered values per (model, version, parent version, seed): see products.model_values.
    values_cache: dict[tuple[int, int, int, int], dict] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def generate(cls, seed: int, products: int, anchor: int, history_days: int) -> ModelRecords:
        blocks = (products + BLOCK - 1) // BLOCK
        code: dict[int, str] = {}
        parent: dict[int, int | None] = {}
        for block in range(blocks):
            base, kind = 4 * (block // 4), model_kind(block)
            if kind == 2:
                root = f"tshirt_{block:07d}"
                code[base], parent[base] = root, None
                for k in range(2):
                    color = COLORS[(block // 4 + k * 3) % len(COLORS)]
                    code[base + 1 + k], parent[base + 1 + k] = f"{root}_{color}", base
            elif kind == 1:
                code[base + 3], parent[base + 3] = f"sneaker_{block:07d}", None
        ids = sorted(code)
        updated_arr, created_arr = updated_times(seed, anchor, history_days, len(ids), "model")
        updated = dict(zip(ids, updated_arr, strict=True))
        created = dict(zip(ids, created_arr, strict=True))
        order = sorted(ids, key=code.__getitem__)
        return cls(code, parent, updated, created, {m: 0 for m in ids}, order)

    def indexed_updated(self, model: int) -> int:
        """The one `updated` Akeneo indexes for a product model: a sub product model's is the newer
        of its own and its root's, a root's is its own (pim-community-dev,
        GetElasticsearchProductModelProjection.php: `GREATEST(product_model.updated,
        COALESCE(root_product_model.updated, 0)) as updated`)."""
        parent = self.parent[model]
        own = self.updated[model]
        return own if parent is None else max(own, self.updated[parent])

    def ancestors(self, model: int | None) -> list[int]:
        out = []
        while model is not None:
            out.append(model)
            model = self.parent[model]
        return out

    def level(self, model: int) -> int:
        return len(self.ancestors(model))
