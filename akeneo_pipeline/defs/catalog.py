"""Catalog-structure assets, one per catalog stream (attribute options included), with their checks.

Structure is small and mostly has no `updated` filter, so each run re-reads it whole and
replaces its table atomically: a reader never sees half a snapshot. Each asset body is one
`sync_catalog` call plus its metadata.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.defs.checks import build_not_empty_check, build_unique_key_check
from akeneo_pipeline.defs.connection import DEFAULT, Connection, akeneo_of, storage_of
from akeneo_pipeline.defs.freshness import NIGHTLY_FRESHNESS
from akeneo_pipeline.defs.keys import asset_key
from akeneo_pipeline.defs.metadata import load_metadata
from akeneo_pipeline.streams import STRUCTURE_STREAMS, Stream
from akeneo_pipeline.sync import sync_catalog


def _description(stream: Stream) -> str:
    if stream.nested is not None:
        return (f"The `{'[].'.join(stream.nested.fields)}` of Akeneo's `{stream.nested.stream}` of types "
                f"{', '.join(stream.nested.types)}, re-read whole each run and replaced atomically.")
    if stream.parent is not None and stream.parent.stored:
        types = f" of types {', '.join(stream.parent.types)}" if stream.parent.types else ""
        return (f"Akeneo `{stream.path.rsplit('/', 1)[-1]}` of every stored {stream.parent.stream}{types}. "
                "Akeneo gives them no `updated` date, so they are re-read whole; picklist diffs compare "
                "consecutive snapshots." + _EDITION_NOTE * stream.edition_only)
    return (f"Akeneo `{stream.path.removeprefix('/api/rest/v1/')}`, re-read whole each run and replaced "
            "atomically." + _EDITION_NOTE * stream.edition_only)


_EDITION_NOTE = " Enterprise only: skipped, with a note in the metadata, where Akeneo lists no such route."


def build_catalog_asset(stream: Stream, connection: Connection = DEFAULT) -> dg.AssetsDefinition:
    parent = stream.parent

    @dg.asset(
        key=connection.key(asset_key(stream)),
        group_name=connection.group(stream.group),
        deps=[connection.key(asset_key(parent.stream))] if parent is not None and parent.stored else [],
        kinds={"python", "parquet"},
        freshness_policy=NIGHTLY_FRESHNESS,
        pool=connection.pool,
        required_resource_keys=connection.resource_keys,
        description=_description(stream),
    )
    def _catalog_asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        akeneo, storage = akeneo_of(context, connection), storage_of(context, connection)
        with akeneo.client() as client:
            synced = sync_catalog(client, storage.store(), stream, run_id=context.run.run_id)
        metadata = load_metadata(synced.load, synced.requests)
        if synced.skipped is not None:  # an edition without the stream: a note, never an error
            context.log.info(f"{stream.name}: {synced.skipped}")
            metadata["skipped"] = synced.skipped
        if parent is not None and synced.parents is not None:
            metadata[f"{parent.stream}_read"] = synced.parents  # the stored parents whose children were read
        return dg.MaterializeResult(metadata=metadata)

    return _catalog_asset


def build_catalog_checks(connection: Connection = DEFAULT) -> list[dg.AssetChecksDefinition]:
    checks = [build_unique_key_check(connection.key(asset_key(stream)), stream.name, connection)
              for stream in STRUCTURE_STREAMS.values()]
    return checks + [build_not_empty_check(connection.key(asset_key(stream)), stream.name, connection)
                     for stream in STRUCTURE_STREAMS.values() if stream.never_empty]


# The editions' structure (reference entities, asset families, table attributes) is built the same way,
# each stream in its own group (streams.py).
catalog_assets = [build_catalog_asset(stream) for stream in STRUCTURE_STREAMS.values()]
catalog_checks = build_catalog_checks()
