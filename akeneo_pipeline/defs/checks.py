"""Check factories shared by the catalog and product assets: unique keys, non-empty tables,
and references to items the catalog tables lack. Each asset module instantiates them next
to its assets; every check is one typed `Store` call."""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import dagster as dg

from akeneo_pipeline.defs.metadata import markdown_table
from akeneo_pipeline.defs.resources import StorageResource


def build_unique_key_check(asset_key: dg.AssetKey, table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name="unique_keys",
        blocking=True,
        description=f"No two rows of `{table}` share a key: a duplicate means an upsert went wrong.",
    )
    def _unique_keys(storage: StorageResource) -> dg.AssetCheckResult:
        found = storage.store().duplicate_keys(table)
        return dg.AssetCheckResult(
            passed=found.count == 0,
            metadata={"duplicate_keys": found.count, "examples": markdown_table(found.examples)},
        )

    return _unique_keys


def build_not_empty_check(asset_key: dg.AssetKey, table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key,
        name="not_empty",
        description=f"Every PIM has {table}; none means a failed read or a connection without permission.",
    )
    def _not_empty(storage: StorageResource) -> dg.AssetCheckResult:
        rows = storage.store().table_rows(table)
        return dg.AssetCheckResult(passed=rows > 0, metadata={"rows": rows})

    return _not_empty


def build_reference_check(key: dg.AssetKey, stream: str, reference: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=key,
        name=f"{reference}_exist",
        description=f"Live {stream.replace('_', ' ')} whose {reference} codes are unknown to the catalog tables "
        "(not checked while the table they point into was never loaded).",
    )
    def _references(storage: StorageResource) -> dg.AssetCheckResult:
        found = storage.store().dangling_references(stream, reference)
        if found.unchecked is not None:
            return dg.AssetCheckResult(
                passed=True,
                description=f"not checked: `{found.unchecked}` was never loaded",
                metadata={"not_checked": f"`{found.unchecked}` holds no row yet: materialise akeneo/{found.unchecked}"},
            )
        return dg.AssetCheckResult(
            passed=found.count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"dangling": found.count, "examples": markdown_table(found.examples, limit=10)},
        )

    return _references
