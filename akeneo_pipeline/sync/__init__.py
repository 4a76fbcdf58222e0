"""One run of a stream, callable by any orchestrator: Dagster assets, tests, the bench, scripts.

Plain Python over `akeneo/` (the client), `storage/` (the Store) and `picklists/`; no
Dagster. Each function takes a client and a store and returns a typed result carrying
the counters of its own requests.
"""

from akeneo_pipeline.sync.catalog import CatalogSyncResult, sync_catalog
from akeneo_pipeline.sync.entities import REKEY_WARNING, EntitySyncResult, sync_entities
from akeneo_pipeline.sync.picklists import PicklistSyncResult, sync_picklists
from akeneo_pipeline.sync.records import RecordSyncResult, sync_records
from akeneo_pipeline.sync.salesforce import SalesforceSyncResult, feed_value_list_span, sync_salesforce_picklists
from akeneo_pipeline.sync.salesforce_positions import WarehousePositions

__all__ = [
    "REKEY_WARNING",
    "CatalogSyncResult",
    "EntitySyncResult",
    "PicklistSyncResult",
    "RecordSyncResult",
    "SalesforceSyncResult",
    "WarehousePositions",
    "feed_value_list_span",
    "sync_catalog",
    "sync_entities",
    "sync_picklists",
    "sync_records",
    "sync_salesforce_picklists",
]
