"""The Salesforce target's positions in the warehouse, on DuckDB and PostgreSQL: read back as
recorded, replaced per (attribute, target), other keys kept."""

from __future__ import annotations

from akeneo_pipeline.salesforce import DeployedPosition
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import WarehousePositions

COLOR = ("color", "field:Product2.Color__c")
SIZE = ("size", "global_value_set:Sizes")


def test_positions_round_trip_and_replace_by_key(store: Store) -> None:
    positions = WarehousePositions(store)
    assert positions.read() == {}
    positions.record({COLOR: DeployedPosition(7, "digest-a", "0Af1"), SIZE: DeployedPosition(7, "digest-b", None)})
    positions.record({COLOR: DeployedPosition(12, "digest-c", "0Af2")})
    assert WarehousePositions(store).read() == {COLOR: DeployedPosition(12, "digest-c", "0Af2"),
                                                SIZE: DeployedPosition(7, "digest-b", None)}
    assert [row["change_id"] for row in store.salesforce_positions()] == [12, 7]
