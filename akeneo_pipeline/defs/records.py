"""Reference entity records and Asset Manager assets (one asset each), read incrementally by `updated`
per stored parent, with their values tables. Each body is one `sync_records` call plus its metadata;
on an edition without the routes the asset materialises with a `skipped` note and reads nothing.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.defs.checks import build_unique_key_check
from akeneo_pipeline.defs.connection import DEFAULT, Connection, akeneo_of, storage_of
from akeneo_pipeline.defs.freshness import NIGHTLY_FRESHNESS
from akeneo_pipeline.defs.keys import asset_key
from akeneo_pipeline.defs.metadata import load_metadata
from akeneo_pipeline.streams import RECORD_STREAMS, RecordStream
from akeneo_pipeline.sync import sync_records


class RecordsConfig(dg.Config):
    full_refresh: bool = False
    """Read every record or asset again and replace the tables: the only way to see removals, which
    Akeneo's lists do not report; the weekly `deletion_scan` job turns it on."""


def build_record_asset(stream: RecordStream, connection: Connection = DEFAULT) -> dg.AssetsDefinition:
    assert stream.parent is not None

    @dg.asset(
        key=connection.key(asset_key(stream)),
        group_name=connection.group(stream.group),
        deps=[connection.key(asset_key(stream.parent.stream))],
        kinds={"python", "parquet"},
        freshness_policy=NIGHTLY_FRESHNESS,
        pool=connection.pool,
        required_resource_keys=connection.resource_keys,
        description=f"Akeneo {stream.name.replace('_', ' ')} of every stored {stream.parent.stream}, read "
        f"incrementally by `updated` (ISO 8601), with their values in `{stream.values_table}`. Enterprise "
        "only: skipped, with a note in the metadata, where Akeneo lists no such route.",
    )
    def _record_asset(context: dg.AssetExecutionContext, config: RecordsConfig) -> dg.MaterializeResult:
        store = storage_of(context, connection).store()
        with akeneo_of(context, connection).client() as client:
            synced = sync_records(client, store, stream, context.run.run_id, full_refresh=config.full_refresh)
        metadata = load_metadata(synced.load, synced.requests)
        if synced.skipped is not None:
            context.log.info(f"{stream.name}: {synced.skipped}")
            metadata["skipped"] = synced.skipped
        else:
            metadata.update(rows_read=synced.load.rows, parents_read=synced.parents,
                            parents_read_whole=synced.parents_read_whole,
                            updated_after=str(synced.updated_after or "(none: full read)"))
            metadata["dagster/row_count"] = store.table_rows(stream.name)
        return dg.MaterializeResult(metadata=metadata)

    return _record_asset


def build_record_checks(connection: Connection = DEFAULT) -> list[dg.AssetChecksDefinition]:
    return [build_unique_key_check(connection.key(asset_key(stream)), stream.name, connection)
            for stream in RECORD_STREAMS.values()]


record_assets = [build_record_asset(stream) for stream in RECORD_STREAMS.values()]
record_checks = build_record_checks()
