"""Picklist assets: the option diff, the current value sets, and the impact of each change.

Akeneo's options have no `updated` date and no change feed, so each run diffs
the options just loaded against the last committed snapshot. The first run
records a baseline instead of flooding consumers with `added` rows; set
`emit_baseline` to get them anyway. The options list pages by offset and shifts
when edited mid-read, so the diff asks Akeneo (the run's client) to confirm each
removal before it is recorded. The work is `sync.sync_picklists`.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
from collections import Counter
from collections.abc import Iterator

import dagster as dg

from akeneo_pipeline.defs.connection import DEFAULT, Connection, akeneo_of, storage_of
from akeneo_pipeline.defs.keys import (
    ATTRIBUTE_OPTIONS_ASSET,
    ATTRIBUTES_ASSET,
    PICKLIST_CHANGES_ASSET,
    PICKLIST_CURRENT_ASSET,
    PICKLIST_IMPACT_ASSET,
    PICKLISTS_GROUP,
    PRODUCT_MODELS_ASSET,
    PRODUCTS_ASSET,
    asset_key,
)
from akeneo_pipeline.defs.metadata import markdown_table
from akeneo_pipeline.sync import sync_picklists

CHANGE_TABLE_ROWS = 50
NO_CHANGES = "no changes"


class PicklistConfig(dg.Config):
    emit_baseline: bool = False
    """On the very first run, emit every option as `added` instead of recording a silent baseline."""


# The Enterprise picklists come from these tables (picklists/commit.py read_option_snapshot).
EDITION_PICKLIST_ASSETS = [asset_key(name) for name in (
    "reference_entity_records", "table_attribute_columns", "table_select_options")]
PICKLIST_DEPS = [ATTRIBUTES_ASSET, ATTRIBUTE_OPTIONS_ASSET, *EDITION_PICKLIST_ASSETS]


def build_picklist_defs(
    connection: Connection = DEFAULT,
) -> tuple[list[dg.AssetsDefinition], list[dg.AssetChecksDefinition]]:
    """The picklist assets and their check, for one connection."""
    key, group = connection.key, connection.group(PICKLISTS_GROUP)
    changes_key, current_key = key(PICKLIST_CHANGES_ASSET), key(PICKLIST_CURRENT_ASSET)

    @dg.multi_asset(
        specs=[
            dg.AssetSpec(changes_key, deps=[key(k) for k in PICKLIST_DEPS],
                         group_name=group,
                         kinds={"python", "parquet"},
                         description="Append-only option changes (added, removed, relabeled, reordered, "
                         "attribute_added, attribute_removed) with a change_id that only grows; also a "
                         "JSON-lines feed."),
            dg.AssetSpec(current_key, deps=[key(k) for k in PICKLIST_DEPS],
                         group_name=group,
                         kinds={"python"},
                         description="Every picklist's value set as a target holds it (select attributes' "
                         "options, reference entity attributes' records, table attributes' select columns; "
                         "`source` says which); removed options stay, inactive (Salesforce cannot delete a "
                         "picklist value)."),
        ],
        pool=connection.pool,  # it asks Akeneo to confirm removals
        required_resource_keys=connection.resource_keys,
        name=connection.job("picklist_diff"),
    )
    def picklist_diff(context: dg.AssetExecutionContext, config: PicklistConfig) -> Iterator[dg.MaterializeResult]:
        akeneo, storage = akeneo_of(context, connection), storage_of(context, connection)
        with akeneo.client() as client:  # only asked to confirm removals: a run without one makes no request
            synced = sync_picklists(client, storage.store(), context.run.run_id, emit_baseline=config.emit_baseline)
        commit, cost = synced.commit, synced.requests.total()
        unconfirmed = commit.unconfirmed_removals.as_rows()  # each was warned about, in this run's log
        yield dg.MaterializeResult(
            asset_key=changes_key,
            metadata={
                "baseline": commit.baseline,
                "changes": len(commit.changes),
                "changes_by_type": dg.MetadataValue.json(commit.counts_by_type),
                # picklist_impact reads these two: the span of change ids this materialisation recorded
                "first_change_id": synced.first_change_id or 0,
                "last_change_id": synced.last_change_id or 0,
                "unconfirmed_removals": len(unconfirmed),
                "unconfirmed_removal_list": markdown_table(unconfirmed, limit=CHANGE_TABLE_ROWS),
                "feed_files": dg.MetadataValue.json([str(path) for path in commit.feed_files]),
                "change_table": markdown_table(commit.changes, limit=CHANGE_TABLE_ROWS),
                "akeneo_requests": cost.requests,
                "akeneo_retries": cost.retries,
            },
        )
        yield dg.MaterializeResult(
            asset_key=current_key,
            metadata={
                "dagster/row_count": synced.current_rows,
                "select_attributes": commit.attribute_count,
                "active_options": commit.option_count,
            },
        )


    @dg.asset(
        key=key(PICKLIST_IMPACT_ASSET),
        deps=[changes_key, key(PRODUCTS_ASSET), key(PRODUCT_MODELS_ASSET)],
        group_name=group,
        required_resource_keys={connection.storage_resource},
        kinds={"python"},
        description="How many live products and product models use each option changed by the latest "
        "picklist_changes materialisation (the change ids it recorded), so a sync knows what a removal or "
        "relabel touches, kept per change id in picklist_change_impact. After a run without changes: none.",
    )
    def picklist_impact(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        span = recorded_change_ids(context.instance, changes_key)
        # Kept per change id (picklist_change_impact), so a consumer lagging several runs still sees them.
        store = storage_of(context, connection).store()
        impact = store.record_change_impact(*span) if span is not None else []
        return dg.MaterializeResult(
            metadata={
                "change_ids": f"{span[0]}..{span[1]}" if span is not None else NO_CHANGES,
                "changes": len(impact),
                "products_touched": sum(row["product_count"] for row in impact),
                "product_models_touched": sum(row["product_model_count"] for row in impact),
                "impact": markdown_table(impact, limit=CHANGE_TABLE_ROWS) if impact else dg.MetadataValue.md(
                    f"_{NO_CHANGES}_"),
            }
        )


    @dg.asset_check(
        asset=current_key,
        name="values_point_at_existing_options",
        required_resource_keys={connection.storage_resource},
        description="Product and product model values whose select option no longer exists in Akeneo.",
    )
    def values_point_at_existing_options(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        dangling = storage_of(context, connection).store().dangling_values()
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

    return [picklist_diff, picklist_impact], [values_point_at_existing_options]


def recorded_change_ids(instance: dg.DagsterInstance,
                        key: dg.AssetKey = PICKLIST_CHANGES_ASSET) -> tuple[int, int] | None:
    """The change ids the latest `picklist_changes` materialisation recorded; None when it recorded
    none (or there is none yet)."""
    event = instance.get_latest_materialization_event(key)
    materialization = event.asset_materialization if event is not None else None
    if materialization is None:
        return None
    span = []
    for name in ("first_change_id", "last_change_id"):
        recorded = materialization.metadata.get(name)
        value = recorded.value if isinstance(recorded, dg.MetadataValue) else recorded
        if not isinstance(value, int) or value < 1:
            return None  # 0: the run recorded no change
        span.append(value)
    return span[0], span[1]


picklist_assets, picklist_checks = build_picklist_defs()
