"""Which Akeneo connection a set of assets, jobs, schedules and a sensor belongs to.

`DEFAULT` is the one connection of AKENEO_*: today's asset keys (`akeneo/products`), job names
(`nightly`), resource keys (`akeneo`, `storage`) and pool (`akeneo`). A named connection (one
entry of AKENEO_CONNECTIONS_FILE, akeneo_pipeline/connections.py) prefixes all of them with its
name (`eu/akeneo/products`, `eu_nightly`, `akeneo_eu`, `storage_eu`, pool `akeneo_eu`), so one
Definitions holds several side by side without two sharing a key, a cursor or a pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from akeneo_pipeline.defs.keys import AKENEO_POOL
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource


@dataclass(frozen=True)
class Connection:
    name: str | None = None

    def key(self, key: dg.AssetKey) -> dg.AssetKey:
        return key if self.name is None else key.with_prefix(self.name)

    def group(self, group: str) -> str:
        return group if self.name is None else f"{self.name}_{group}"

    def job(self, name: str) -> str:
        return name if self.name is None else f"{self.name}_{name}"

    @property
    def akeneo_resource(self) -> str:
        return "akeneo" if self.name is None else f"akeneo_{self.name}"

    @property
    def storage_resource(self) -> str:
        return "storage" if self.name is None else f"storage_{self.name}"

    @property
    def pool(self) -> str:
        return AKENEO_POOL if self.name is None else f"{AKENEO_POOL}_{self.name}"

    @property
    def resource_keys(self) -> set[str]:
        return {self.akeneo_resource, self.storage_resource}


DEFAULT = Connection()


def akeneo_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext | dg.SensorEvaluationContext,
              connection: Connection) -> AkeneoResource:
    resource = getattr(context.resources, connection.akeneo_resource)
    assert isinstance(resource, AkeneoResource)
    return resource


def storage_of(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
               connection: Connection) -> StorageResource:
    resource = getattr(context.resources, connection.storage_resource)
    assert isinstance(resource, StorageResource)
    return resource
