"""Incremental products and product models (one asset per entity stream), with their checks.

Each run reads what changed since the stream's cursor (by `updated`), upserts it keeping
the newest copy, and moves the cursor once every batch has committed. The next cursor is
Akeneo's clock at the start of the run minus a safety overlap, never the newest `updated`
seen, so edits made during the run are read next time. The work is `sync.sync_entities`;
this file declares and reports.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.defs.checks import build_reference_check, build_unique_key_check
from akeneo_pipeline.defs.connection import DEFAULT, Connection, akeneo_of, storage_of
from akeneo_pipeline.defs.freshness import NIGHTLY_FRESHNESS
from akeneo_pipeline.defs.keys import ATTRIBUTES_ASSET, asset_key
from akeneo_pipeline.defs.metadata import load_metadata
from akeneo_pipeline.streams import ENTITY_STREAMS, EntityStream
from akeneo_pipeline.sync import sync_entities

CURSOR_CHECK = "cursor_never_moves_backwards"


class IncrementalConfig(dg.Config):
    full_refresh: bool = False
    """Ignore the cursor and read every item again (upserts keep this safe)."""
    detect_deletions: bool = False
    """Key-scan Akeneo and soft-delete what disappeared. Costs a request per 100 items,
    so the weekly `deletion_scan` job turns it on rather than every nightly run."""


def build_entity_asset(stream: EntityStream, connection: Connection = DEFAULT) -> dg.AssetsDefinition:
    key = connection.key(asset_key(stream))

    @dg.asset(
        key=key,
        group_name=connection.group(stream.group),
        deps=[connection.key(ATTRIBUTES_ASSET)] if stream.has_identifier else [],
        kinds={"python", "parquet"},
        freshness_policy=NIGHTLY_FRESHNESS,
        pool=connection.pool,
        required_resource_keys=connection.resource_keys,
        check_specs=[dg.AssetCheckSpec(CURSOR_CHECK, asset=key)],
        description=f"Akeneo {stream.name.replace('_', ' ')}, read incrementally by `updated` in concurrent "
        f"windows, with their values in `{stream.values_table}`.",
    )
    def _entity_asset(context: dg.AssetExecutionContext, config: IncrementalConfig) -> dg.MaterializeResult:
        store = storage_of(context, connection).store()
        with akeneo_of(context, connection).client() as client:
            synced = sync_entities(client, store, stream, context.run.run_id, full_refresh=config.full_refresh,
                                   detect_deletions=config.detect_deletions)
        result = synced.load
        context.log.info(f"Read {stream.name} updated after {synced.updated_after or 'the beginning'}")
        metadata = load_metadata(result, synced.requests)
        if stream.by_identifier is not None:
            metadata["akeneo_product_key"] = synced.key_field
        if result.rekeyed:  # the warning itself was logged by sync_entities, into this run's log
            metadata.update(rekeyed=True, rekey_soft_deleted=result.rekey_soft_deleted)
        if synced.deletion is not None:
            metadata.update(deleted=synced.deletion.deleted, resurrected=synced.deletion.resurrected)
        if synced.catalog is not None:  # catalog mode: which App catalog the products came through
            metadata.update(akeneo_catalog_id=synced.catalog.id, akeneo_catalog_name=synced.catalog.name,
                            akeneo_catalog_enabled=synced.catalog.enabled)
            if synced.left_selection is not None:
                metadata["left_selection"] = synced.left_selection
        # dagster/row_count is the table's size (live rows); what this run read is rows_read.
        metadata["rows_read"] = result.rows
        metadata["dagster/row_count"] = store.table_rows(stream.name, live_only=True)
        return dg.MaterializeResult(
            metadata=metadata,
            check_results=[
                dg.AssetCheckResult(
                    check_name=CURSOR_CHECK,
                    passed=not synced.cursor_moved_back,
                    metadata={"cursor_before": result.cursor_before or "(none)",
                              "cursor_after": result.cursor_after or "(none)"},
                )
            ],
        )

    return _entity_asset


def build_product_checks(connection: Connection = DEFAULT) -> list[dg.AssetChecksDefinition]:
    checks = [build_unique_key_check(connection.key(asset_key(stream)), stream.name, connection)
              for stream in ENTITY_STREAMS.values()]
    return checks + [build_reference_check(connection.key(asset_key(stream)), stream.name, reference, connection)
                     for stream in ENTITY_STREAMS.values() for reference in stream.references]


product_assets = [build_entity_asset(stream) for stream in ENTITY_STREAMS.values()]
product_checks = build_product_checks()
