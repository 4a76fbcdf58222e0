"""Storage: Akeneo items into Parquet datasets and a SQL warehouse (DuckDB or PostgreSQL).

Plain Python: no Dagster, no HTTP. `Store` is the facade other code calls;
`Warehouse` offers safe bulk primitives for tables outside the contract.
"""

from akeneo_pipeline.storage.errors import (
    DataDirError,
    InvalidItemError,
    StorageError,
    WarehouseError,
    WarehouseUnavailableError,
)
from akeneo_pipeline.storage.results import DeletionResult, LoadResult
from akeneo_pipeline.storage.schemas import ALL_TABLES, CATALOG_TABLES, ENTITY_STREAMS, TableSpec, json_field
from akeneo_pipeline.storage.store import Store
from akeneo_pipeline.storage.warehouse import Warehouse

__all__ = [
    "ALL_TABLES", "CATALOG_TABLES", "ENTITY_STREAMS", "DataDirError", "DeletionResult", "InvalidItemError",
    "LoadResult", "StorageError", "Store", "TableSpec", "Warehouse", "WarehouseError", "WarehouseUnavailableError",
    "json_field",
]
