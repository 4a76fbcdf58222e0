"""One run of reference entity records or assets: per stored parent (reference entity, asset family), read what
changed since the cursor with Akeneo's `updated` filter, load it, move the cursor with it.

The watermark is Akeneo's clock at the start of the run minus the overlap, as for products (sync/entities.py):
an item saved during the run is read again next time, and the load replaces it by key. A parent with nothing
stored yet (a reference entity created since the last run, or every parent on a first run) is read whole, so a
new entity's older records are not lost behind the cursor. Removals are only seen by a full read
(`full_refresh`: the weekly deletion scan), which replaces the tables (storage/record_load.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from akeneo_pipeline.akeneo import AkeneoClient, RunCounters
from akeneo_pipeline.storage import LoadResult, Store
from akeneo_pipeline.streams import RecordStream, record_stream


@dataclass(frozen=True)
class RecordSyncResult:
    stream: str
    load: LoadResult
    updated_after: datetime | None  # None: every parent was read whole
    requests: RunCounters  # the calls this sync made
    parents: int = 0  # parents (reference entities, asset families) whose records or assets were read
    parents_read_whole: int = 0  # of those, read without the `updated` filter
    skipped: str | None = None  # why nothing was read: the edition does not serve the stream


def sync_records(client: AkeneoClient, store: Store, kind: str | RecordStream, run_id: str, *,
                 full_refresh: bool = False) -> RecordSyncResult:
    """Read `kind` (reference_entity_records or assets) updated since its cursor and load it."""
    stream = record_stream(kind)
    assert stream.parent is not None
    with client.metered() as requests:
        skipped = client.skip_reason(stream)
        if skipped is not None:
            return RecordSyncResult(stream.name, LoadResult(stream.name), None, requests, skipped=skipped)
        stored = store.get_cursor(stream.name)
        previous = None if full_refresh or stored is None else datetime.fromisoformat(stored)
        plan = client.plan_watermark(previous)
        parents = store.codes_of(stream.parent.stream)
        after, known = plan.updated_after, set(store.parents_read(stream))
        bounds: dict[tuple[str, ...], datetime] = {(code,): after for code in parents if after and code in known}
        load = store.load_records(stream, client.iter_records(stream, parents, bounds), run_id=run_id,
                                  next_cursor=plan.next_watermark.isoformat(), full_read=plan.updated_after is None)
    return RecordSyncResult(stream.name, load, plan.updated_after, requests, parents=len(parents),
                            parents_read_whole=len(parents) - len(bounds))
