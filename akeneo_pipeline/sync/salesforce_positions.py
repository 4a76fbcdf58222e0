"""The Salesforce target's positions in the warehouse (table `salesforce_positions`, via the Store).

`deploy_value_lists` calls `record` only after Salesforce reported the deploy Succeeded
(salesforce/bookkeeping.py), so a run killed between the deploy and this write leaves the
position behind and the next run deploys the same whole lists again, harmlessly. Keeping the
positions in the warehouse puts them beside the change log they point into: a rebuilt
warehouse starts both afresh (and deploys every mapped attribute once more).
"""

from __future__ import annotations

from collections.abc import Mapping

from akeneo_pipeline.salesforce import DeployedPosition
from akeneo_pipeline.salesforce.bookkeeping import PositionKey
from akeneo_pipeline.storage import Store


class WarehousePositions:
    """A `DeployedPositions` backed by the Store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def read(self) -> dict[PositionKey, DeployedPosition]:
        return {(row["attribute_code"], row["target"]): DeployedPosition(
                    int(row["change_id"]), str(row["mapping_digest"]), row["deploy_id"])
                for row in self._store.salesforce_positions()}

    def record(self, positions: Mapping[PositionKey, DeployedPosition]) -> None:
        self._store.record_salesforce_positions([
            {"attribute_code": attribute, "target": target, "change_id": p.change_id,
             "mapping_digest": p.mapping_digest, "deploy_id": p.deploy_id}
            for (attribute, target), p in sorted(positions.items())])
