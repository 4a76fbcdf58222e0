"""The product attributes an Enterprise (or Growth) catalog adds, the families holding them, and
their values in generated products.

- `akeneo_reference_entity` / `akeneo_reference_entity_collection`: `reference_data_name` is the
  reference entity's code; a value's data is a record code, or a list of them
  (docs/concepts_products.md, "Reference entity single and multiple links attribute"; asset-manager.md:
  the asset family code is "in the `reference_data_name` property" of an asset collection attribute).
- `pim_catalog_asset_collection`: `reference_data_name` is the asset family; data a list of asset codes
  (concepts_products.md, "Asset Manager asset collection attribute").
- `pim_catalog_table`: `table_configuration` (table_attributes.py); data a list of rows.

They sit in the families of simple products only (accessories, electronics, home), so no family
variant changes and product models stay as in Community. Values are drawn after everything a
Community product draws, from the same per-product generator, so a product's other values,
categories and stamps are the same in every edition; and like select values they use the records,
assets and options the catalog was generated with, so a record removed later stays linked.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from akeneo_pipeline.sandbox.enterprise import table_attributes as tables
from akeneo_pipeline.sandbox.enterprise.editions import Edition
from akeneo_pipeline.sandbox.structure_items import attribute_item

# code -> (type, group, target: reference entity / asset family / table code, edition feature)
ATTRIBUTES: dict[str, tuple[str, str, str, str]] = {
    "brand_record": ("akeneo_reference_entity", "marketing", "brands", "reference_entities"),
    "material_records": ("akeneo_reference_entity_collection", "technical", "materials", "reference_entities"),
    "packshot_assets": ("pim_catalog_asset_collection", "marketing", "packshots", "assets"),
    "user_manuals": ("pim_catalog_asset_collection", "technical", "user_guides", "assets"),
    "composition": ("pim_catalog_table", "technical", "composition", "table_attributes"),
    "care_instructions": ("pim_catalog_table", "technical", "care_instructions", "table_attributes"),
}
FAMILIES: dict[str, list[str]] = {
    "accessories": ["brand_record", "material_records", "composition", "packshot_assets"],
    "home": ["brand_record", "material_records", "composition", "care_instructions", "packshot_assets"],
    "electronics": ["brand_record", "user_manuals"],
}
FILL_RATE = 0.75  # share of products of these families holding each value


def served(edition: Edition) -> list[str]:
    """The attribute codes the edition has, in ATTRIBUTES order."""
    return [code for code, (_, _, _, feature) in ATTRIBUTES.items() if getattr(edition, feature)]


def attribute_items(edition: Edition, first_sort_order: int, stamp: Callable[[], int]) -> list[dict[str, Any]]:
    """`/attributes` items of the edition's attributes, in the structure's stored form."""
    out = []
    for n, code in enumerate(served(edition)):
        type_, group, target, _ = ATTRIBUTES[code]
        extra: dict[str, Any] = ({"table_configuration": tables.configuration(target)} if type_ == "pim_catalog_table"
                                 else {"reference_data_name": target})
        out.append(attribute_item(code, first_sort_order + n, stamp(), (type_, group, False, False, extra)))
    return out


def augment_structure(structure: dict[str, list[dict[str, Any]]], edition: Edition, seed: int, anchor: int,
                      history_days: int) -> None:
    """Add the edition's attributes to `/attributes`, their groups and the families using them."""
    codes = served(edition)
    if not codes:
        return
    rng = random.Random(f"enterprise-structure-{seed}")  # not the structure's own: Community stamps stay as they are

    def past() -> int:
        return anchor - rng.randrange(3 * 86400, history_days * 86400)

    structure["attributes"].extend(attribute_items(edition, len(structure["attributes"]), past))
    for group in structure["attribute_groups"]:
        group["attributes"].extend(c for c in codes if ATTRIBUTES[c][1] == group["code"])
    for family in structure["families"]:  # a new list: build_structure shares structure.FAMILIES' lists
        family["attributes"] = family["attributes"] + [c for c in FAMILIES.get(family["code"], []) if c in codes]


class ProductValues:
    """The extra values of generated products: `(index, family, rng) -> values`, for products.product_item."""

    def __init__(self, edition: Edition, link_targets: dict[str, list[str]]) -> None:
        """`link_targets`: for each reference entity / asset family code, the codes products may link to."""
        codes = set(served(edition))
        self.per_family = {family: [c for c in attrs if c in codes] for family, attrs in FAMILIES.items()}
        self.targets = link_targets

    def __call__(self, i: int, family: str | None, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for code in self.per_family.get(family or "", ()):
            if rng.random() >= FILL_RATE:
                continue
            type_, _, target, _ = ATTRIBUTES[code]
            if type_ == "pim_catalog_table":
                data: Any = tables.table_data(target, rng)
            else:
                choices = self.targets.get(target) or []
                if not choices:
                    continue
                if type_ == "akeneo_reference_entity":
                    data = rng.choice(choices)
                else:
                    data = sorted(rng.sample(choices, min(len(choices), rng.randint(1, 3))))
            out[code] = [{"locale": None, "scope": None, "data": data}]
        return out
