"""The products table's key, whichever Akeneo version filled it, and the upgrade from 6 to 7.

Akeneo 7.0 and SaaS key a product by its uuid: `/products-uuid` items carry `uuid`, the
identifier being a value among others, possibly empty (pim-community-dev's
ConnectorProductWithUuidNormalizer). Akeneo 6 has no uuid in its API: `/products` items
carry `identifier` at the root and nothing else that identifies them
(ConnectorProductNormalizer; the Swagger file's `/products` examples). One table holds
both, keyed by `uuid`:

- read from 7.x, `uuid` is Akeneo's uuid;
- read from 6.x, `uuid` is `identifier_uuid(identifier)`, a name-based UUID (RFC 4122
  version 5) of the identifier, so `product_values.product_uuid`, dbt and the checks
  work unchanged and one identifier always gets one key.

`sync_state` holds the mode the table was loaded in under the stream `products#key`
("identifier" or "uuid"); no row means "uuid", which every table loaded before Akeneo 6
was supported is.

Upgrading the PIM from 6 to 7 changes every product's key. The first run that finds the
server keying by uuid while the table is keyed by identifier re-reads every product; each
batch deletes, in its own transaction, the rows keyed by the identifiers it brings (same
product, new key: the old row and its values go, the new ones arrive); after the whole
read has committed, the rows still keyed by identifier (products deleted, or renamed,
since the last 6.x run) are soft-deleted, and the mode moves to "uuid" with the cursor,
in one transaction. A run that dies midway leaves the mode as it was, and the next run
re-keys again: at no commit does one product have two live rows, and no row is dropped
before its product's new row is stored. Going back from uuid to identifier (Akeneo has no
downgrade; it means another PIM) is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

import pyarrow as pa
from sqlalchemy import Connection, text

from akeneo_pipeline.storage.cursors import move_cursor, read_cursor
from akeneo_pipeline.storage.errors import StorageError
from akeneo_pipeline.storage.schemas import EntityTables
from akeneo_pipeline.storage.warehouse import Warehouse

BY_UUID, BY_IDENTIFIER = "uuid", "identifier"
PRODUCT_KEYS = (BY_UUID, BY_IDENTIFIER)
# Fixed for good: changing it would give every 6.x product a new key.
IDENTIFIER_NAMESPACE = uuid.UUID("25488e15-3248-48a8-af58-17b85739ea28")
SCAN_ROWS = 10_000


def identifier_uuid(identifier: str) -> str:
    """The `uuid` column of a product read from Akeneo 6, which has no uuid."""
    return str(uuid.uuid5(IDENTIFIER_NAMESPACE, identifier))


def key_state(tables: EntityTables) -> str:
    """The `sync_state` stream holding how the table is keyed: `products#key`."""
    return f"{tables.entity.name}#key"


def check_product_key(product_key: str) -> str:
    if product_key not in PRODUCT_KEYS:
        raise ValueError(f"product_key must be one of {PRODUCT_KEYS}, got {product_key!r}")
    return product_key


def stored_mode(warehouse: Warehouse, conn: Connection, tables: EntityTables) -> str | None:
    """How the table is keyed: the recorded mode, else "uuid" if it has rows, else None (empty)."""
    recorded = read_cursor(warehouse, conn, key_state(tables))
    if recorded is not None:
        return recorded
    any_row = conn.exec_driver_sql(f"SELECT 1 FROM {warehouse.table(tables.entity.name)} LIMIT 1").first()
    return BY_UUID if any_row is not None else None


def record_mode(warehouse: Warehouse, conn: Connection, tables: EntityTables, product_key: str,
                run_id: str | None) -> None:
    move_cursor(warehouse, conn, key_state(tables), product_key, run_id)


class DowngradeRefused(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "the products table was loaded from an Akeneo that keys products by uuid (7.x or SaaS), but "
            "AKENEO_BASE_URL now serves products by identifier only (Akeneo 6); Akeneo has no downgrade, "
            "so this is another PIM: point WAREHOUSE_URL and AKENEO_DATA_DIR at a new warehouse for it")


def rekeyed_rows(tables: EntityTables, identifiers: Iterable[str | None],
                 staged_keys: Iterable[str | None]) -> pa.Table:
    """The identifier keys a batch of uuid-keyed products replaces (its own keys excluded)."""
    own = set(staged_keys)
    legacy = {identifier_uuid(i) for i in identifiers if i}
    return pa.table({tables.entity.key[0]: pa.array(sorted(legacy - own), pa.string())})


def delete_rekeyed(warehouse: Warehouse, conn: Connection, es: EntityTables, legacy: pa.Table) -> None:
    """Delete the identifier-keyed rows (and their values) whose products a batch brings by uuid."""
    if legacy.num_rows == 0:
        return
    q, key = warehouse.quote, es.entity.key[0]
    staged = warehouse.stage(conn, legacy.schema, legacy)
    conn.exec_driver_sql(f"DELETE FROM {warehouse.table(es.values.name)} WHERE {q(es.owner_column)} IN "
                         f"(SELECT {q(key)} FROM {staged})")
    conn.exec_driver_sql(f"DELETE FROM {warehouse.table(es.entity.name)} WHERE {q(key)} IN "
                         f"(SELECT {q(key)} FROM {staged})")


def _still_identifier_keyed(warehouse: Warehouse, conn: Connection, tables: EntityTables) -> Iterator[str]:
    q = warehouse.quote
    result = conn.exec_driver_sql(
        f"SELECT {q('uuid')}, {q('identifier')} FROM {warehouse.table(tables.entity.name)} "
        f"WHERE {q('deleted_at')} IS NULL AND {q('identifier')} IS NOT NULL",
        execution_options={"stream_results": True})
    while rows := result.fetchmany(SCAN_ROWS):
        for key, identifier in rows:
            if key == identifier_uuid(identifier):
                yield key


def soft_delete_unrekeyed(warehouse: Warehouse, conn: Connection, tables: EntityTables, now: object) -> int:
    """After a complete re-keying read: soft-delete the rows it did not re-key (their products
    were not listed: deleted, or renamed before the upgrade and stored again under their uuid)."""
    leftovers = list(_still_identifier_keyed(warehouse, conn, tables))
    if not leftovers:
        return 0
    table = pa.table({"uuid": pa.array(leftovers, pa.string())})
    staged = warehouse.stage(conn, table.schema, table)
    q = warehouse.quote
    return conn.execute(text(
        f"UPDATE {warehouse.table(tables.entity.name)} SET {q('deleted_at')} = :now WHERE {q('deleted_at')} IS NULL "
        f"AND {q('uuid')} IN (SELECT {q('uuid')} FROM {staged})"), {"now": now}).rowcount


def keys_as_stored(live_keys: Iterable[list[str]], product_key: str) -> Iterator[list[str]]:
    """A key scan's pages in the table's key: identifiers (Akeneo 6) become their identifier_uuid."""
    for page in live_keys:
        yield [identifier_uuid(k) for k in page] if product_key == BY_IDENTIFIER else page
