"""One run of a catalog stream: read it whole, replace its table.

A stream hanging under a parent (family variants under families, attribute options under
attributes) is read per parent code; attribute options take their parents from the stored
`attributes` table (`Parent.stored`), of the select types only, so the options stored match
the attributes the picklist diff reads next to them.

A stream only some editions serve (reference entities and the Asset Manager: Enterprise only) is
skipped where this Akeneo's route list (GET /api/rest/v1, akeneo/routes.py) lacks its path, or an App
token lacks its scope (`AkeneoClient.skip_reason`): the result says why, its table stays as it was, and
the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

from akeneo_pipeline.akeneo import AkeneoClient, RunCounters
from akeneo_pipeline.storage import LoadResult, Store
from akeneo_pipeline.streams import Stream, catalog_stream


@dataclass(frozen=True)
class CatalogSyncResult:
    stream: str
    load: LoadResult
    requests: RunCounters  # the calls this sync made
    parents: int | None = None  # stored parents read (select attributes), for streams read per stored parent
    skipped: str | None = None  # why nothing was read: the edition does not serve the stream


def sync_catalog(client: AkeneoClient, store: Store, stream: str | Stream, run_id: str) -> CatalogSyncResult:
    """Read catalog stream `stream` whole and replace its table (Parquet and warehouse)."""
    declared = catalog_stream(stream) if isinstance(stream, str) else stream
    parent = declared.parent
    with client.metered() as requests:
        skipped = client.skip_reason(declared)
        if skipped is not None:
            return CatalogSyncResult(declared.name, LoadResult(declared.name), requests, skipped=skipped)
        if parent is not None and parent.stored:
            codes: list[str] | list[tuple[str, ...]] = (
                store.keys_of(parent.stream, parent.types) if parent.outer else store.codes_of(parent.stream,
                                                                                             parent.types))
            load = store.load_catalog(declared.name, client.iter_children(declared, codes), run_id=run_id)
            return CatalogSyncResult(declared.name, load, requests, parents=len(codes))
        load = store.load_catalog(declared.name, client.iter_stream(declared), run_id=run_id)
    return CatalogSyncResult(declared.name, load, requests)
