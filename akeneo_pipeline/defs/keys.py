"""Asset keys and groups, named once: assets, jobs, the sensor and dbt sources
(`meta.dagster.asset_key` in dbt/models/staging/_sources.yml) all refer to these."""

from __future__ import annotations

import dagster as dg

CATALOG_GROUP = "akeneo_catalog"
PRODUCTS_GROUP = "akeneo_products"
PICKLISTS_GROUP = "picklists"

# Catalog structure, re-read whole each run (most have no `updated` filter).
CATALOG_STREAMS: tuple[str, ...] = (
    "channels",
    "locales",
    "currencies",
    "attribute_groups",
    "attributes",
    "families",
    "family_variants",
    "categories",
    "association_types",
    "measurement_families",
)


def akeneo_key(stream: str) -> dg.AssetKey:
    return dg.AssetKey(["akeneo", stream])


ATTRIBUTES = akeneo_key("attributes")
ATTRIBUTE_OPTIONS = akeneo_key("attribute_options")
PRODUCTS = akeneo_key("products")
PRODUCT_MODELS = akeneo_key("product_models")
PICKLIST_CHANGES = dg.AssetKey(["picklists", "picklist_changes"])
PICKLIST_CURRENT = dg.AssetKey(["picklists", "picklist_current"])
PICKLIST_IMPACT = dg.AssetKey(["picklists", "picklist_impact"])
