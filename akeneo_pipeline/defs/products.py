"""Incremental `products` and `product_models`, with their checks.

Each run reads what changed since the stream's cursor (by `updated`), upserts it
keeping the newest copy, and moves the cursor in the same transaction. The next
cursor is Akeneo's clock at the start of the run minus a safety overlap, never
the newest `updated` seen, so edits made during the run are read next time.
The work is `sync.sync_entities`; this file declares and reports.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
from datetime import datetime

import dagster as dg

from akeneo_pipeline.defs.checks import build_unique_key_check
from akeneo_pipeline.defs.keys import ATTRIBUTES, PRODUCT_MODELS, PRODUCTS, PRODUCTS_GROUP
from akeneo_pipeline.defs.metadata import load_metadata, markdown_table
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.storage import queries
from akeneo_pipeline.sync import REKEY_WARNING, sync_entities

CURSOR_CHECK = "cursor_never_moves_backwards"


class IncrementalConfig(dg.Config):
    full_refresh: bool = False
    """Ignore the cursor and read every item again (upserts keep this safe)."""
    detect_deletions: bool = False
    """Key-scan Akeneo and soft-delete what disappeared. Costs a request per 100 items,
    so the weekly `deletion_scan` job turns it on rather than every nightly run."""


def build_incremental_asset(stream: str, key: dg.AssetKey) -> dg.AssetsDefinition:
    @dg.asset(
        key=key,
        group_name=PRODUCTS_GROUP,
        deps=[ATTRIBUTES] if stream == "products" else [],
        kinds={"python", "parquet"},
        check_specs=[dg.AssetCheckSpec(CURSOR_CHECK, asset=key)],
        description=f"Akeneo {stream.replace('_', ' ')}, read incrementally by `updated` in concurrent "
        "windows, with their values in a separate table.",
    )
    def _incremental_asset(
        context: dg.AssetExecutionContext,
        config: IncrementalConfig,
        akeneo: AkeneoResource,
        storage: StorageResource,
    ) -> dg.MaterializeResult:
        store = storage.store()
        stored_cursor = store.get_cursor(stream)
        with akeneo.client() as client:
            synced = sync_entities(client, store, stream, context.run.run_id, full_refresh=config.full_refresh,
                                   detect_deletions=config.detect_deletions)
            result = synced.load
            context.log.info(f"Read {stream} updated after {synced.updated_after or 'the beginning'}")
            metadata = load_metadata(result, client.counters)
        if synced.product_key is not None:
            metadata["akeneo_product_key"] = synced.product_key
        if result.rekeyed:
            context.log.warning(REKEY_WARNING)
            metadata.update(rekeyed=True, rekey_soft_deleted=result.rekey_soft_deleted)
        if synced.deletion is not None:
            metadata.update(deleted=synced.deletion.deleted, resurrected=synced.deletion.resurrected)
        # dagster/row_count is the table's size (live rows); what this run read is rows_read.
        metadata["rows_read"] = result.rows
        metadata["dagster/row_count"] = store.table_rows(stream, live_only=True)
        moved_back = (
            stored_cursor is not None
            and result.cursor_after is not None
            and datetime.fromisoformat(result.cursor_after) < datetime.fromisoformat(stored_cursor)
        )
        return dg.MaterializeResult(
            metadata=metadata,
            check_results=[
                dg.AssetCheckResult(
                    check_name=CURSOR_CHECK,
                    passed=not moved_back,
                    metadata={"cursor_before": stored_cursor or "(none)", "cursor_after": result.cursor_after or "(none)"},
                )
            ],
        )

    return _incremental_asset


def build_reference_check(key: dg.AssetKey, stream: str, reference: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=key,
        name=f"{reference}_exist",
        description=f"Live {stream.replace('_', ' ')} whose {reference} codes are unknown to the catalog tables.",
    )
    def _references(storage: StorageResource) -> dg.AssetCheckResult:
        found = queries.dangling_references(storage.store().warehouse, stream, reference)
        return dg.AssetCheckResult(
            passed=found.count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"dangling": found.count, "examples": markdown_table(found.examples, limit=10)},
        )

    return _references


products = build_incremental_asset("products", PRODUCTS)
product_models = build_incremental_asset("product_models", PRODUCT_MODELS)
product_assets = [products, product_models]
product_checks = [build_unique_key_check(PRODUCTS, "products"), build_unique_key_check(PRODUCT_MODELS, "product_models")]
product_checks += [build_reference_check(PRODUCTS, "products", ref) for ref in queries.PRODUCT_REFERENCES]
product_checks += [build_reference_check(PRODUCT_MODELS, "product_models", ref) for ref in queries.PRODUCT_MODEL_REFERENCES]
