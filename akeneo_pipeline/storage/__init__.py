"""Storage: Akeneo items into Parquet datasets and a SQL warehouse (DuckDB or PostgreSQL).

Plain Python: no Dagster, no HTTP. `Store` is the one facade other code calls; the
table specs (every table's schema and key) are in `schemas`.
"""

from akeneo_pipeline.storage.errors import (
    DataDirError,
    InvalidItemError,
    StorageError,
    WarehouseError,
    WarehouseUnavailableError,
)
from akeneo_pipeline.storage.parquet import check_run_id
from akeneo_pipeline.storage.picklist_tables import PicklistTables
from akeneo_pipeline.storage.queries import Found
from akeneo_pipeline.storage.results import DeletionResult, LoadResult
from akeneo_pipeline.storage.schemas import ALL_TABLES, CATALOG_TABLES, ENTITY_TABLES, TableSpec
from akeneo_pipeline.storage.store import Store

__all__ = [
    "ALL_TABLES", "CATALOG_TABLES", "ENTITY_TABLES", "DataDirError", "DeletionResult", "Found", "InvalidItemError",
    "LoadResult", "PicklistTables", "StorageError", "Store", "TableSpec", "WarehouseError", "WarehouseUnavailableError",
    "check_run_id",
]
