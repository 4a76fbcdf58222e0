"""One picklist run: diff the stored attribute options against the last committed snapshot,
confirm each removal with Akeneo, commit the changes and publish them (picklists/commit.py).

It reads the `attributes` and `attribute_options` tables the catalog syncs just replaced;
the client is only asked to confirm removals, so a run without one makes no request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from akeneo_pipeline.akeneo import AkeneoClient, RunCounters
from akeneo_pipeline.picklists import PicklistCommit, commit_picklist_changes, read_option_snapshot
from akeneo_pipeline.storage import Store


@dataclass(frozen=True)
class PicklistSyncResult:
    commit: PicklistCommit
    requests: RunCounters  # the confirmations this sync asked of Akeneo
    current_rows: int  # picklist_current after the commit: every option ever seen, removed ones inactive

    @property
    def first_change_id(self) -> int | None:
        """The first change this run recorded; None when it recorded none."""
        return self.commit.first_change_id

    @property
    def last_change_id(self) -> int | None:
        return self.commit.last_change_id


def sync_picklists(client: AkeneoClient, store: Store, run_id: str, detected_at: datetime | None = None, *,
                   emit_baseline: bool = False) -> PicklistSyncResult:
    """Record this run's picklist changes; the first run is a silent baseline unless `emit_baseline`."""
    with client.metered() as requests:
        commit = commit_picklist_changes(store, read_option_snapshot(store), run_id,
                                         detected_at or datetime.now(UTC), emit_baseline=emit_baseline,
                                         lookup=client)
    return PicklistSyncResult(commit, requests, store.table_rows("picklist_current"))
