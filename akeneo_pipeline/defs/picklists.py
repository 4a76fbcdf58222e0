"""Picklist assets: the option diff, the current value sets, and the impact of each change.

Akeneo's options have no `updated` date and no change feed, so each run diffs
the options just loaded against the last committed snapshot. The first run
records a baseline instead of flooding consumers with `added` rows; set
`emit_baseline` to get them anyway. The options list pages by offset and shifts
when edited mid-read, so the diff asks Akeneo (the run's client) to confirm each
removal before it is recorded.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
from collections import Counter
from datetime import datetime, timezone

import dagster as dg

from akeneo_pipeline.defs.keys import (
    ATTRIBUTE_OPTIONS, ATTRIBUTES, PICKLIST_CHANGES, PICKLIST_CURRENT, PICKLIST_IMPACT, PICKLISTS_GROUP,
    PRODUCT_MODELS, PRODUCTS,
)
from akeneo_pipeline.defs.metadata import markdown_table
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.picklists import dangling_values, latest_run_impact, load_snapshot, record_picklist_changes

CHANGE_TABLE_ROWS = 50


class PicklistConfig(dg.Config):
    emit_baseline: bool = False
    """On the very first run, emit every option as `added` instead of recording a silent baseline."""


@dg.multi_asset(
    specs=[
        dg.AssetSpec(PICKLIST_CHANGES, deps=[ATTRIBUTES, ATTRIBUTE_OPTIONS], group_name=PICKLISTS_GROUP,
                     kinds={"python", "parquet"},
                     description="Append-only option changes (added, removed, relabeled, reordered, "
                     "attribute_added, attribute_removed) with a change_id that only grows; also a JSON-lines feed."),
        dg.AssetSpec(PICKLIST_CURRENT, deps=[ATTRIBUTES, ATTRIBUTE_OPTIONS], group_name=PICKLISTS_GROUP,
                     kinds={"python"},
                     description="Every select attribute's value set as a target holds it; removed options "
                     "stay, inactive (Salesforce cannot delete a picklist value)."),
    ],
)
def picklist_diff(
    context: dg.AssetExecutionContext, config: PicklistConfig, akeneo: AkeneoResource, storage: StorageResource
):
    store = storage.store()
    with akeneo.client() as client:  # only asked to confirm removals: a run without one makes no request
        result = record_picklist_changes(
            store.warehouse, store.data_dir, load_snapshot(store.warehouse), context.run.run_id,
            datetime.now(timezone.utc), emit_baseline=config.emit_baseline, lookup=client,
        )
        cost = client.counters.total()
    unconfirmed = result.unconfirmed_removals.as_rows()
    if unconfirmed:
        context.log.warning(
            f"{len(unconfirmed)} removal(s) missing from this run's read are still in Akeneo and were kept as they "
            "were (no `removed` row): the offset-paged attributes or options list shifted while it was read; "
            "see `unconfirmed_removal_list`"
        )
    yield dg.MaterializeResult(
        asset_key=PICKLIST_CHANGES,
        metadata={
            "baseline": result.baseline,
            "changes": len(result.changes),
            "changes_by_type": dg.MetadataValue.json(result.counts_by_type),
            "first_change_id": result.first_change_id or 0,
            "last_change_id": result.last_change_id or 0,
            "unconfirmed_removals": len(unconfirmed),
            "unconfirmed_removal_list": markdown_table(unconfirmed, limit=CHANGE_TABLE_ROWS),
            "feed_files": dg.MetadataValue.json([str(path) for path in result.feed_files]),
            "change_table": markdown_table(result.changes, limit=CHANGE_TABLE_ROWS),
            "akeneo_requests": cost.requests,
            "akeneo_retries": cost.retries,
        },
    )
    yield dg.MaterializeResult(
        asset_key=PICKLIST_CURRENT,
        metadata={
            "dagster/row_count": store.warehouse.table_rows("picklist_current"),
            "select_attributes": result.attribute_count,
            "active_options": result.option_count,
        },
    )


@dg.asset(
    key=PICKLIST_IMPACT,
    deps=[PICKLIST_CHANGES, PRODUCTS, PRODUCT_MODELS],
    group_name=PICKLISTS_GROUP,
    kinds={"python"},
    description="How many live products and product models use each option changed in the latest "
    "picklist run, so a sync knows what a removal or relabel touches.",
)
def picklist_impact(context: dg.AssetExecutionContext, storage: StorageResource) -> dg.MaterializeResult:
    impact = latest_run_impact(storage.store().warehouse)
    return dg.MaterializeResult(
        metadata={
            "changes": len(impact),
            "products_touched": sum(row["product_count"] for row in impact),
            "product_models_touched": sum(row["product_model_count"] for row in impact),
            "impact": markdown_table(impact, limit=CHANGE_TABLE_ROWS),
        }
    )


@dg.asset_check(
    asset=PICKLIST_CURRENT,
    name="values_point_at_existing_options",
    description="Product and product model values whose select option no longer exists in Akeneo.",
)
def values_point_at_existing_options(storage: StorageResource) -> dg.AssetCheckResult:
    dangling = dangling_values(storage.store().warehouse)
    by_attribute = Counter(row["attribute_code"] for row in dangling)
    return dg.AssetCheckResult(
        passed=not dangling,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "dangling_values": len(dangling),
            "by_attribute": dg.MetadataValue.json(dict(by_attribute.most_common(20))),
            "examples": markdown_table(dangling, limit=10),
        },
    )


picklist_assets = [picklist_diff, picklist_impact]
picklist_checks = [values_point_at_existing_options]
