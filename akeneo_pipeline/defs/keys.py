"""Asset keys and groups, derived from the stream declarations (akeneo_pipeline/streams.py) or,
for the assets that are no stream, named once here. Assets, jobs, the sensor and dbt sources
(`meta.dagster.asset_key` in dbt/models/staging/_sources.yml) all refer to these."""

from __future__ import annotations

import dagster as dg

from akeneo_pipeline.streams import CATALOG_GROUP, ENTITIES_GROUP, PRODUCT_MODELS, PRODUCTS, STREAMS, Stream

__all__ = ["AKENEO_POOL",
           "ATTRIBUTES_ASSET", "ATTRIBUTE_OPTIONS_ASSET", "CATALOG_GROUP", "ENTITIES_GROUP", "PICKLISTS_GROUP",
           "PICKLIST_CHANGES_ASSET", "PICKLIST_CURRENT_ASSET", "PICKLIST_IMPACT_ASSET", "PRODUCTS_ASSET",
           "PRODUCT_MODELS_ASSET", "SALESFORCE_GROUP", "SALESFORCE_PICKLISTS_ASSET", "asset_key"]

PICKLISTS_GROUP = "picklists"

# The concurrency pool of the assets that call Akeneo: dagster.yaml gives every pool a limit of
# one run at a time (`concurrency: pools: granularity: run`), so two runs never share a
# connection's 4 calls, and runs of other code locations (no pool) are never queued behind these.
AKENEO_POOL = "akeneo"


def asset_key(stream: Stream | str) -> dg.AssetKey:
    """The asset that materialises a stream's table: `akeneo/<stream>`."""
    return dg.AssetKey(list((STREAMS[stream] if isinstance(stream, str) else stream).asset_key))


ATTRIBUTES_ASSET = asset_key("attributes")
ATTRIBUTE_OPTIONS_ASSET = asset_key("attribute_options")
PRODUCTS_ASSET = asset_key(PRODUCTS)
PRODUCT_MODELS_ASSET = asset_key(PRODUCT_MODELS)
PICKLIST_CHANGES_ASSET = dg.AssetKey(["picklists", "picklist_changes"])
PICKLIST_CURRENT_ASSET = dg.AssetKey(["picklists", "picklist_current"])
PICKLIST_IMPACT_ASSET = dg.AssetKey(["picklists", "picklist_impact"])
SALESFORCE_GROUP = "salesforce"
SALESFORCE_PICKLISTS_ASSET = dg.AssetKey(["salesforce", "picklists"])
