"""Product and product model JSON, generated on demand from (seed, index, version).

Nothing here is stored: the same inputs always give the same item, a new version
gives new values. Select values use the options the catalog was generated with,
so removing an option later leaves products pointing at it, as in real Akeneo.
Variant products carry their ancestors' values too, as the REST API returns them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from akeneo_pipeline.sandbox import structure as s
from akeneo_pipeline.sandbox.records import BLOCK, ModelRecords, ProductRecords, model_kind

OPTIONS = {attr: [code for code, _, _ in words] for attr, words in s.OPTION_WORDS.items()}
NOUNS = ["jacket", "tee", "lamp", "speaker", "bag", "boot", "mug", "cap", "scarf", "watch"]
LEAF_CATEGORIES = [leaf for tree in s.CATEGORY_TREE.values() for leaves in tree.values() for leaf in leaves]
CLOTHING_SIZES = ["xs", "s", "m", "l"]


def iso(ts: int, zone: tzinfo = UTC) -> str:
    """Akeneo's timestamp form: ISO 8601 with the offset the server's time zone has at that
    instant, `+00:00` in UTC (pim-community-dev, Normalizer/Standard/DateTimeNormalizer.php:
    `$date->format('c')`, PHP's default zone; concepts_products.md shows `+02:00`)."""
    return datetime.fromtimestamp(ts, zone).isoformat()


def level_attributes(family_variant: str, level: int) -> list[str]:
    family = "clothing" if family_variant == "clothing_color_size" else "shoes"
    attributes, variants = s.FAMILIES[family]
    levels = variants[family_variant]
    if level == 0:
        in_levels = {a for _, _, attrs in levels for a in attrs}
        return [a for a in attributes if a not in in_levels]
    return levels[level - 1][2]


def value_data(attr: str, rng: random.Random, index: int) -> Any:
    kind = s.ATTRIBUTES[attr][0]
    if kind == "pim_catalog_identifier":
        return f"SKU-{index:07d}"
    if kind in ("pim_catalog_text", "pim_catalog_textarea"):
        return f"{rng.choice(OPTIONS['brand']).title()} {rng.choice(NOUNS)} {index}"
    if kind == "pim_catalog_simpleselect":
        return rng.choice(OPTIONS[attr])
    if kind == "pim_catalog_multiselect":
        return sorted(rng.sample(OPTIONS[attr], rng.randint(1, 3)))
    if kind == "pim_catalog_boolean":
        return rng.random() < 0.5
    if kind == "pim_catalog_metric":
        unit = s.ATTRIBUTES[attr][4]["default_metric_unit"]
        return {"amount": f"{rng.uniform(0.1, 40):.4f}", "unit": unit}
    if kind == "pim_catalog_price_collection":
        base = rng.uniform(5, 400)
        return [{"amount": f"{base:.2f}", "currency": "EUR"}, {"amount": f"{base * 1.08:.2f}", "currency": "USD"}]
    if kind == "pim_catalog_date":
        return f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00+00:00"
    if kind == "pim_catalog_number":
        return rng.randint(1, 5) if attr == "warranty_years" else f"{rng.uniform(1, 5):.4f}"
    raise ValueError(f"no generator for attribute type {kind}")


def values_for(attrs: list[str], rng: random.Random, index: int, fixed: dict[str, Any]) -> dict[str, list]:
    """Values of `attrs`: localizable ones per locale, scopable ones per channel and its locales."""
    out: dict[str, list] = {}
    for attr in attrs:
        _, _, localizable, scopable, _ = s.ATTRIBUTES[attr]
        if attr not in fixed and attr not in ("sku", "name") and rng.random() < 0.2:
            continue  # sparse, like real catalogs
        pairs: list[tuple[str | None, str | None]]  # (locale, channel)
        if scopable:
            pairs = [(loc, ch) for ch, (locs, _, _) in s.CHANNELS.items() for loc in (locs if localizable else [None])]
        else:
            pairs = [(loc, None) for loc in (s.LOCALES if localizable else [None])]
        out[attr] = [{"locale": loc, "scope": ch,
                      "data": fixed[attr] if attr in fixed else value_data(attr, rng, index)}
                     for loc, ch in pairs]
    return out


MODEL_VALUES_CACHED = 50_000  # product models whose values are kept rendered (~1 KB each)


def model_values(models: ModelRecords, model: int, seed: int) -> dict[str, list]:
    """A model's values including its parent's, which its variant products inherit too.

    Kept per (model, its version, its parent's version): several variant products share
    a model, and rendering its values again for each was a third of a page's time."""
    parent = models.parent[model]
    key = (model, models.version[model], -1 if parent is None else models.version[parent], seed)
    cached = models.values_cache.get(key)
    if cached is None:
        if len(models.values_cache) >= MODEL_VALUES_CACHED:
            models.values_cache.pop(next(iter(models.values_cache)))
        cached = models.values_cache[key] = _render_model_values(models, model, seed)
    return cached


def _render_model_values(models: ModelRecords, model: int, seed: int) -> dict[str, list]:
    block = int(models.code[model].split("_")[1])
    variant = "clothing_color_size" if model_kind(block) == 2 else "shoes_size"
    parent = models.parent[model]
    level = 0 if parent is None else 1
    rng = random.Random(f"model-{seed}-{model}-{models.version[model]}")
    fixed = {"color": models.code[model].rsplit("_", 1)[1]} if level == 1 else {}
    own = values_for(level_attributes(variant, level), rng, block, fixed)
    return {**(model_values(models, parent, seed) if parent is not None else {}), **own}


def empty_associations() -> dict[str, dict[str, list]]:
    """One empty entry per non-quantified association type, as Akeneo lists them."""
    return {code: {"groups": [], "products": [], "product_models": []}
            for code, quantified in s.ASSOCIATION_TYPES.items() if not quantified}


def product_item(records: ProductRecords, models: ModelRecords, i: int, seed: int,
                 zone: tzinfo = UTC, extra: Callable[[int, str | None, random.Random], dict] | None = None
                 ) -> dict[str, Any]:
    """A product as the API serves it; `extra` (Enterprise editions, enterprise/product_attributes.py) adds
    values drawn after everything else, so the rest of the product is the same in every edition."""
    rng = random.Random(f"product-{seed}-{i}-{records.version[i]}")
    family = records.family(i, seed)
    parent = records.parent_model(i)
    if parent is None:
        attrs = s.FAMILIES[family][0] if family else ["sku", "name", "description", "price"]
        values = values_for(attrs, rng, i, {})
    else:
        _, pos = divmod(i, BLOCK)
        variant = "clothing_color_size" if family == "clothing" else "shoes_size"
        size = CLOTHING_SIZES[pos % 4] if family == "clothing" else f"s{38 + pos}"
        own = values_for(level_attributes(variant, 2 if family == "clothing" else 1), rng, i, {"size": size})
        values = {**model_values(models, parent, seed), **own}
    item = {
        "uuid": uuid_str(records.uuid[i]), "enabled": records.enabled(i), "family": family,
        "categories": sorted(rng.sample(LEAF_CATEGORIES, rng.randint(0, 2))), "groups": [],
        "parent": models.code[parent] if parent is not None else None, "values": values,
        "created": iso(records.created[i], zone), "updated": iso(records.updated[i], zone),
        "associations": empty_associations(),
        "quantified_associations": {},
    }
    if extra is not None and parent is None:
        values.update(extra(i, family, rng))
    return item


def product_model_item(models: ModelRecords, model: int, seed: int, zone: tzinfo = UTC) -> dict[str, Any]:
    block = int(models.code[model].split("_")[1])
    rng = random.Random(f"model-cat-{seed}-{model}")
    parent = models.parent[model]
    return {
        "code": models.code[model], "family": "clothing" if model_kind(block) == 2 else "shoes",
        "family_variant": "clothing_color_size" if model_kind(block) == 2 else "shoes_size",
        "parent": models.code[parent] if parent is not None else None,
        "categories": sorted(rng.sample(LEAF_CATEGORIES, rng.randint(0, 2))),
        "values": dict(model_values(models, model, seed)),  # the cached dict stays untouched
        "created": iso(models.created[model], zone), "updated": iso(models.updated[model], zone),
        "associations": empty_associations(),
        "quantified_associations": {},
    }


def uuid_str(value: int) -> str:
    """Canonical text form; records hold valid version-4 values, so int order = text order."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
