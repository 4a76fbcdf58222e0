"""One run of products or product models: plan the watermark, read what changed, load it,
move the cursor, and (weekly) scan the keys for deletions.

Items are read the way the server keys them (`AkeneoClient.key_field`: products by uuid on
Akeneo 7.0 and SaaS, by identifier on Akeneo 6). A table loaded by identifier whose server
now serves uuids (the PIM was upgraded) is re-keyed by a read of every product, once
(storage/product_keys.py); later runs are incremental again.

In catalog mode (AKENEO_CATALOG_ID) products are the App catalog's selection (akeneo/
app_catalog_reader.py). The catalog is read first (`GET /catalogs/{id}`): a disabled, deleted or
forbidden catalog stops the run before anything is read, loaded or soft-deleted. The weekly
deletion scan then reads the whole selection before its key scan: a product enters a selection
when a PIM user widens it, without being edited, so no `updated_after` read would bring it. At
1,000 products a page the full read costs what the key scan costs. A product the key scan
misses left the selection (or was deleted: the catalog API does not tell them apart) and is
soft-deleted; `left_selection` counts them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from akeneo_pipeline.akeneo import AkeneoClient, AppCatalogInfo, RunCounters
from akeneo_pipeline.storage import DeletionResult, LoadResult, Store
from akeneo_pipeline.streams import EntityStream, entity_stream

log = logging.getLogger("akeneo_pipeline.sync")

REKEY_WARNING = (
    "products were loaded from Akeneo 6 (keyed by identifier) and AKENEO_BASE_URL now serves them by uuid "
    "(Akeneo 7 or SaaS): re-reading every product once to re-key the table; later runs are incremental again"
)


@dataclass(frozen=True)
class EntitySyncResult:
    stream: str
    load: LoadResult
    updated_after: datetime | None  # None: everything was read
    key_field: str  # what the server keys the items by: "uuid" or "identifier" (products), "code"
    requests: RunCounters  # the calls this sync made
    deletion: DeletionResult | None = None
    catalog: AppCatalogInfo | None = None  # catalog mode: the App catalog read, as it was at the start

    @property
    def left_selection(self) -> int | None:
        """Catalog mode's deletion scan: products soft-deleted because the selection no longer holds them."""
        return self.deletion.deleted if self.deletion is not None and self.catalog is not None else None

    @property
    def cursor_moved_back(self) -> bool:
        """Whether the stored cursor went back in time (it never should: the watermark is Akeneo's clock)."""
        before, after = self.load.cursor_before, self.load.cursor_after
        if before is None or after is None:
            return False
        return datetime.fromisoformat(after) < datetime.fromisoformat(before)


def sync_entities(client: AkeneoClient, store: Store, kind: str | EntityStream, run_id: str, *,
                  full_refresh: bool = False, detect_deletions: bool = False) -> EntitySyncResult:
    """Read `kind` (products or product models) updated since its cursor and load it; with
    `detect_deletions`, then scan every key and soft-delete what is gone from Akeneo."""
    stream = entity_stream(kind)
    with client.metered() as requests:
        # Before anything else: a disabled catalog must fail the run, never read as an empty one.
        catalog = client.app_catalog(require_enabled=True) if stream.name == "products" else None
        if catalog is not None and detect_deletions:
            full_refresh = True  # products that entered the selection unedited (see the module doc)
        stored = store.get_cursor(stream.name)
        key_field = client.key_field(stream)
        rekey = store.needs_rekey(stream, key_field)
        if rekey:
            log.warning(REKEY_WARNING)
        previous = None if full_refresh or rekey or stored is None else datetime.fromisoformat(stored)
        plan = client.plan_watermark(previous)
        next_cursor = plan.next_watermark.isoformat()
        # Catalog mode's scan moves the cursor after the key scan: a catalog disabled between the
        # read and the scan fails the run with the cursor where it was (and the scan rolled back).
        cursor_last = catalog is not None and detect_deletions
        load = store.load_entities(
            stream,
            client.iter_entities(stream, updated_after=plan.updated_after),
            run_id=run_id,
            next_cursor=None if cursor_last else next_cursor,
            identifier_attribute=store.identifier_attribute() if stream.has_identifier else None,
            key_field=key_field,
            full_read=plan.updated_after is None,
        )
        deletion = None
        if detect_deletions:
            deletion = store.mark_deleted(stream, client.scan_keys(stream), run_id=run_id, key_field=key_field)
        if cursor_last:  # a load that reads nothing moves the cursor alone
            load.cursor_after = store.load_entities(stream, iter(()), run_id=run_id, next_cursor=next_cursor,
                                                    key_field=key_field).cursor_after
    return EntitySyncResult(stream.name, load, plan.updated_after, key_field, requests, deletion, catalog)
