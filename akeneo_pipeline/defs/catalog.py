"""Catalog-structure assets (one per Akeneo endpoint) and `attribute_options`, with
their checks.

Structure is small and mostly has no `updated` filter, so each run re-reads it
whole and replaces its table atomically: a reader never sees half a snapshot.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.akeneo import OPTION_ATTRIBUTE_TYPES
from akeneo_pipeline.defs.checks import build_not_empty_check, build_unique_key_check
from akeneo_pipeline.defs.keys import ATTRIBUTE_OPTIONS, ATTRIBUTES, CATALOG_GROUP, CATALOG_STREAMS, akeneo_key
from akeneo_pipeline.defs.metadata import load_metadata
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.storage import queries

# Every PIM has at least one of these; an empty table means a broken read or
# missing permissions, not an empty catalog.
NEVER_EMPTY = ("channels", "locales", "currencies", "attributes", "families", "categories")


def build_catalog_asset(stream: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=akeneo_key(stream),
        group_name=CATALOG_GROUP,
        kinds={"python", "parquet"},
        description=f"Akeneo `{stream.replace('_', '-')}`, re-read whole each run and replaced atomically.",
    )
    def _catalog_asset(
        context: dg.AssetExecutionContext, akeneo: AkeneoResource, storage: StorageResource
    ) -> dg.MaterializeResult:
        with akeneo.client() as client:
            result = storage.store().load_snapshot(stream, client.iter_stream(stream), run_id=context.run.run_id)
            return dg.MaterializeResult(metadata=load_metadata(result, client.counters))

    return _catalog_asset


@dg.asset(
    key=ATTRIBUTE_OPTIONS,
    group_name=CATALOG_GROUP,
    deps=[ATTRIBUTES],
    kinds={"python", "parquet"},
    description="Options of every select attribute. Akeneo gives options no `updated` date, "
    "so they are re-read whole; picklist diffs compare consecutive snapshots.",
)
def attribute_options(
    context: dg.AssetExecutionContext, akeneo: AkeneoResource, storage: StorageResource
) -> dg.MaterializeResult:
    store = storage.store()
    select_codes = queries.attribute_codes_of_types(store.warehouse, OPTION_ATTRIBUTE_TYPES)
    context.log.info(f"Reading options of {len(select_codes)} select attributes")
    with akeneo.client() as client:
        result = store.load_snapshot(
            "attribute_options", client.iter_attribute_options(select_codes), run_id=context.run.run_id
        )
        metadata = load_metadata(result, client.counters)
    metadata["select_attributes"] = len(select_codes)
    return dg.MaterializeResult(metadata=metadata)


catalog_assets = [build_catalog_asset(stream) for stream in CATALOG_STREAMS] + [attribute_options]
catalog_checks = [build_unique_key_check(akeneo_key(stream), stream) for stream in (*CATALOG_STREAMS, "attribute_options")]
catalog_checks += [build_not_empty_check(akeneo_key(stream), stream) for stream in NEVER_EMPTY]
