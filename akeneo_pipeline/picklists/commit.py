"""The picklist step: diff this run's option snapshot against the last committed one, commit, publish.

Reading the previous state, appending the changes and updating the value sets
happen in one warehouse transaction (`Store.picklist_transaction`), so the previous
state is always exactly what the last committed run saw: a replayed or retried run
diffs against it and adds nothing. Between the read and the first write, each removal
the diff would record is confirmed with Akeneo (removals.py): a lookup that fails rolls
the transaction back, so nothing is committed. Feed files and Parquet parts follow the
commit (publish.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from akeneo_pipeline.picklists.diff import CHANGE_TYPES, diff
from akeneo_pipeline.picklists.feed import retire_other_epochs
from akeneo_pipeline.picklists.publish import publish, published_high_water
from akeneo_pipeline.picklists.removals import AkeneoLookup, Removals, confirm_removals
from akeneo_pipeline.picklists.rows import number_changes, utc
from akeneo_pipeline.picklists.snapshot import TABLE_TYPE, OptionSnapshot, picklist_key
from akeneo_pipeline.picklists.state import attribute_updates, option_updates, previous_snapshot
from akeneo_pipeline.picklists.value_list_records import build_records
from akeneo_pipeline.storage import PicklistTables, Store, check_run_id


@dataclass(frozen=True)
class PicklistCommit:
    """What one commit did; enough for asset metadata without another query."""

    run_id: str
    detected_at: datetime
    baseline: bool
    changes: list[dict[str, Any]]
    counts_by_type: dict[str, int]
    attribute_count: int
    option_count: int
    feed_files: list[Path] = field(default_factory=list)
    parquet_files: list[Path] = field(default_factory=list)
    # Missing from this run's read but still in Akeneo: kept as they were, no `removed` row.
    unconfirmed_removals: Removals = field(default_factory=Removals)

    @property
    def first_change_id(self) -> int | None:
        return self.changes[0]["change_id"] if self.changes else None

    @property
    def last_change_id(self) -> int | None:
        return self.changes[-1]["change_id"] if self.changes else None


def read_option_snapshot(store: Store) -> OptionSnapshot:
    """This run's snapshot, from the stored `attributes` and `attribute_options` (read together), plus the
    Enterprise picklists: each reference entity attribute's records (its `reference_data_name` is the
    entity, docs/concepts_products.md) and each table attribute's select columns (`<attribute>/<column>`)."""
    attributes, options = store.read_attributes_and_options()
    edition = store.read_edition_picklists()
    for attribute in edition.reference_entity_attributes:
        attributes.append({"code": attribute["code"], "type": attribute["type"]})
        records = edition.records.get(attribute["reference_data_name"] or "", {})
        options.extend({"attribute": attribute["code"], "code": code, "sort_order": None, "labels": labels}
                       for code, labels in sorted(records.items()))
    for table, columns in edition.select_columns.items():
        for column in columns:
            key = picklist_key(table, column)
            attributes.append({"code": key, "type": TABLE_TYPE})
            options.extend({"attribute": key, "code": o["code"], "sort_order": None, "labels": o["labels"]}
                           for o in edition.select_options.get((table, column), []))
    # the reference entity attributes came with the stored attributes too: keep one entry each
    attributes = list({a["code"]: a for a in attributes}.values())
    return OptionSnapshot.from_akeneo(attributes, options)


def value_list_records(tables: PicklistTables, pending: list[dict[str, Any]], epoch: str) -> list[dict[str, Any]]:
    """The whole value list of every attribute the pending rows touch, as committed (value_list_records.py)."""
    if not pending:
        return []
    touched = {row["attribute_code"] for row in pending}
    attributes, options = tables.value_list_rows(touched)
    return build_records(attributes, options, tables.attribute_details(touched), pending[0]["change_id"],
                         pending[-1]["change_id"], epoch)


def commit_picklist_changes(
    store: Store,
    snapshot: OptionSnapshot,
    run_id: str,
    detected_at: datetime,
    *,
    emit_baseline: bool = False,
    lookup: AkeneoLookup | None = None,
) -> PicklistCommit:
    """Diff `snapshot` against the last committed one, store the changes, update the value sets,
    then write the run's feed file and Parquet part (and any a crashed run left unwritten).

    The first run is a baseline: it fills picklist_current and emits no change unless
    `emit_baseline`.

    `lookup` (the `AkeneoClient` of the run that read the snapshot) confirms each removal
    with Akeneo before it is recorded; an attribute or option still there is kept as it
    was (`unconfirmed_removals`). Without it the snapshot is trusted as complete: only
    for snapshots not read from Akeneo's offset-paged lists.
    """
    run_id, detected_at = check_run_id(run_id), utc(detected_at)
    with store.picklist_transaction(f"record picklist changes of run {run_id}") as tables:
        previous = previous_snapshot(tables.attribute_rows(), tables.active_option_rows())
        unconfirmed = Removals()
        if previous is not None and lookup is not None:
            snapshot, unconfirmed = confirm_removals(previous, snapshot, lookup)  # I/O before any write
        changes = diff(previous, snapshot, emit_baseline=emit_baseline)
        added_attributes = [c.attribute_code for c in changes if c.change_type == "attribute_added"]
        rows = number_changes(changes, tables.last_change_id() + 1, run_id, detected_at,
                              previous=previous, current=snapshot, removed_before=tables.inactive_option_keys(),
                              attribute_details=tables.attribute_details(added_attributes))
        tables.append_changes(rows)
        tables.upsert_attributes(attribute_updates(previous, snapshot, detected_at))
        tables.upsert_options(option_updates(previous, snapshot, rows, detected_at))
        epoch = tables.feed_epoch()
        retire_other_epochs(store.data_dir, epoch)  # a rebuilt warehouse: its change_ids start again
        pending = tables.changes_after(published_high_water(store))
        records = value_list_records(tables, pending, epoch)
    feed_files, parquet_files = publish(store, pending, records, epoch)
    counts = Counter(row["change_type"] for row in rows)
    return PicklistCommit(
        run_id=run_id,
        detected_at=detected_at,
        baseline=previous is None,
        changes=rows,
        counts_by_type={change_type: counts.get(change_type, 0) for change_type in CHANGE_TYPES},
        attribute_count=len(snapshot.attributes),
        option_count=snapshot.option_count,
        feed_files=feed_files,
        parquet_files=parquet_files,
        unconfirmed_removals=unconfirmed,
    )
