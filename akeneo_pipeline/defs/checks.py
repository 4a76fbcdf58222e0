"""Check factories shared by the catalog and product assets: unique keys, non-empty tables,
and references to items the catalog tables lack. Each asset module instantiates them next
to its assets; every check is one typed `Store` call."""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.defs import keys
from akeneo_pipeline.defs.connection import DEFAULT, Connection, storage_of
from akeneo_pipeline.defs.metadata import markdown_table


def build_unique_key_check(asset_key: dg.AssetKey, table: str,
                           connection: Connection = DEFAULT) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name="unique_keys",
        blocking=True,
        required_resource_keys={connection.storage_resource},
        description=f"No two rows of `{table}` share a key: a duplicate means an upsert went wrong.",
    )
    def _unique_keys(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        found = storage_of(context, connection).store().duplicate_keys(table)
        return dg.AssetCheckResult(
            passed=found.count == 0,
            metadata={"duplicate_keys": found.count, "examples": markdown_table(found.examples)},
        )

    return _unique_keys


def build_not_empty_check(asset_key: dg.AssetKey, table: str,
                          connection: Connection = DEFAULT) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name="not_empty",
        required_resource_keys={connection.storage_resource},
        description=f"Every PIM has {table}; none means a failed read or a connection without permission.",
    )
    def _not_empty(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        rows = storage_of(context, connection).store().table_rows(table)
        return dg.AssetCheckResult(passed=rows > 0, metadata={"rows": rows})

    return _not_empty


def build_reference_check(key: dg.AssetKey, stream: str, reference: str,
                          connection: Connection = DEFAULT) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=key,
        name=f"{reference}_exist",
        required_resource_keys={connection.storage_resource},
        description=f"Live {stream.replace('_', ' ')} whose {reference} codes are unknown to the catalog tables "
        "(not checked while the table they point into was never loaded).",
    )
    def _references(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        found = storage_of(context, connection).store().dangling_references(stream, reference)
        if found.unchecked is not None:
            unloaded = connection.key(keys.asset_key(found.unchecked)).to_user_string()
            return dg.AssetCheckResult(
                passed=True,
                description=f"not checked: `{found.unchecked}` was never loaded",
                metadata={"not_checked": f"`{found.unchecked}` holds no row yet: materialise {unloaded}"},
            )
        return dg.AssetCheckResult(
            passed=found.count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"dangling": found.count, "examples": markdown_table(found.examples, limit=10)},
        )

    return _references
