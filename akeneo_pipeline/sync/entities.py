"""One run of products or product models: plan the watermark, read what changed, load it,
move the cursor, and (weekly) scan the keys for deletions.

Products are read the way the server keys them (`AkeneoClient.product_key`: uuid on
Akeneo 7.0 and SaaS, identifier on Akeneo 6). A table loaded by identifier whose server
now serves uuids (the PIM was upgraded) is re-keyed by a read of every product, once
(storage/product_keys.py); later runs are incremental again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.storage import DeletionResult, LoadResult, Store
from akeneo_pipeline.storage import queries

log = logging.getLogger("akeneo_pipeline.sync")

REKEY_WARNING = (
    "products were loaded from Akeneo 6 (keyed by identifier) and AKENEO_BASE_URL now serves them by uuid "
    "(Akeneo 7 or SaaS): re-reading every product once to re-key the table; later runs are incremental again"
)


@dataclass(frozen=True)
class EntitySync:
    load: LoadResult
    updated_after: datetime | None  # None: everything was read
    product_key: str | None  # products only: "uuid" or "identifier", as the server keys them
    deletion: DeletionResult | None = None


def sync_entities(client: AkeneoClient, store: Store, stream: str, run_id: str, *, full_refresh: bool = False,
                  detect_deletions: bool = False) -> EntitySync:
    """Read `stream` ("products" or "product_models") since its cursor and load it."""
    if stream not in ("products", "product_models"):
        raise ValueError(f"unknown stream {stream!r}; expected 'products' or 'product_models'")
    products = stream == "products"
    stored = store.get_cursor(stream)
    product_key = client.product_key() if products else None
    rekey = product_key is not None and store.needs_rekey(product_key)
    if rekey:
        log.warning(REKEY_WARNING)
    previous = None if full_refresh or rekey or stored is None else datetime.fromisoformat(stored)
    plan = client.plan_watermark(previous)
    read = client.iter_products if products else client.iter_product_models
    load = store.load_incremental(
        stream,
        read(updated_after=plan.updated_after),
        run_id=run_id,
        next_cursor=plan.next_watermark.isoformat(),
        identifier_attribute=queries.identifier_attribute(store.warehouse) if products else None,
        product_key=product_key or "uuid",
        full_read=plan.updated_after is None,
    )
    deletion = None
    if detect_deletions:
        scan = client.scan_product_keys() if products else client.scan_product_model_codes()
        deletion = store.mark_deleted(stream, scan, run_id=run_id, product_key=product_key or "uuid")
    return EntitySync(load, plan.updated_after, product_key, deletion)
