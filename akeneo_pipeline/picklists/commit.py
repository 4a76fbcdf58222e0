"""The one call the picklist asset makes: diff this run's snapshot, commit, publish.

Reading the previous state, appending the changes and updating the value sets
happen in one warehouse transaction, so the previous state is always exactly
what the last committed run saw: a replayed or retried run diffs against it
and adds nothing. Between the read and the first write, each removal the diff
would record is confirmed with Akeneo (removals.py): a lookup that fails rolls
the transaction back, so nothing is committed. Feed files and Parquet parts
follow the commit (publish.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from akeneo_pipeline.picklists import feed
from akeneo_pipeline.picklists.diff import CHANGE_TYPES, diff
from akeneo_pipeline.picklists.publish import committed_changes_after, parquet_high_water, publish
from akeneo_pipeline.picklists.removals import AkeneoLookup, Removals, confirm_removals
from akeneo_pipeline.picklists.rows import number_changes, utc
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.picklists.state import attribute_updates, option_updates, previous_snapshot
from akeneo_pipeline.picklists.tables import (
    PICKLIST_ATTRIBUTES, PICKLIST_CHANGES, PICKLIST_CURRENT, PICKLIST_TABLES, to_arrow,
)
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.parquet import check_run_id
from akeneo_pipeline.storage.schemas import TableSpec
from akeneo_pipeline.storage.warehouse import Warehouse


@dataclass(frozen=True)
class PicklistRunResult:
    """What one recording did; enough for asset metadata without another query."""

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


def ensure_picklist_tables(warehouse: Warehouse) -> None:
    for spec in PICKLIST_TABLES:
        warehouse.create_table(spec.name, spec.schema, spec.key)


def record_picklist_changes(
    warehouse: Warehouse,
    data_dir: Path,
    snapshot: OptionSnapshot,
    run_id: str,
    detected_at: datetime,
    *,
    emit_baseline: bool = False,
    parquet_dir: Path | None = None,
    lookup: AkeneoLookup | None = None,
) -> PicklistRunResult:
    """Diff `snapshot` against the last committed one, store the changes, update the value sets,
    then write the run's feed file and Parquet part (and any a crashed run left unwritten).

    The first run is a baseline: it fills picklist_current and emits no change unless
    `emit_baseline`. `parquet_dir` defaults to `<data_dir>/parquet`.

    `lookup` (the `AkeneoClient` of the run that read the snapshot) confirms each removal
    with Akeneo before it is recorded; an attribute or option still there is kept as it
    was (`unconfirmed_removals`). Without it the snapshot is trusted as complete: only
    for snapshots not read from Akeneo's offset-paged lists.
    """
    run_id, detected_at = check_run_id(run_id), utc(detected_at)
    data_dir = Path(data_dir)
    parquet_dir = Path(parquet_dir) if parquet_dir is not None else data_dir / "parquet"
    ensure_picklist_tables(warehouse)
    attributes_table = warehouse.table(PICKLIST_ATTRIBUTES.name)
    current_table = warehouse.table(PICKLIST_CURRENT.name)
    with warehouse.begin(f"record picklist changes of run {run_id}") as conn:
        previous = previous_snapshot(
            conn.exec_driver_sql(f"SELECT attribute_code, attribute_type, active FROM {attributes_table}").fetchall(),
            conn.exec_driver_sql(
                f"SELECT attribute_code, option_code, sort_order, CAST(labels AS VARCHAR) FROM {current_table} "
                "WHERE active"
            ).fetchall(),
        )
        unconfirmed = Removals()
        if previous is not None and lookup is not None:
            snapshot, unconfirmed = confirm_removals(previous, snapshot, lookup)  # I/O before any write
        changes_table = warehouse.table(PICKLIST_CHANGES.name)
        last_id = conn.execute(text(f"SELECT COALESCE(MAX(change_id), 0) FROM {changes_table}")).scalar_one()
        rows = number_changes(diff(previous, snapshot, emit_baseline=emit_baseline), last_id + 1, run_id, detected_at)
        _write(conn, warehouse, PICKLIST_CHANGES, rows, upsert=False)
        _write(conn, warehouse, PICKLIST_ATTRIBUTES, attribute_updates(previous, snapshot, detected_at))
        _write(conn, warehouse, PICKLIST_CURRENT, option_updates(previous, snapshot, rows, detected_at))
        published = min(feed.last_written_change_id(data_dir), parquet_high_water(parquet_dir))
        pending = committed_changes_after(conn, changes_table, warehouse.quote, published)
    feed_files, parquet_files = publish(pending, data_dir, parquet_dir)
    counts = Counter(row["change_type"] for row in rows)
    return PicklistRunResult(
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


def load_snapshot(warehouse: Warehouse) -> OptionSnapshot:
    """This run's snapshot from the contract tables `attributes` and `attribute_options`,
    read in one transaction so both come from the same committed state."""
    with warehouse.begin("read attributes and attribute options") as conn:
        attributes = conn.exec_driver_sql(f"SELECT code, type FROM {warehouse.table('attributes')}").mappings().all()
        options = conn.exec_driver_sql(
            "SELECT attribute_code AS attribute, code, sort_order, CAST(labels AS VARCHAR) AS labels "
            f"FROM {warehouse.table('attribute_options')}"
        ).mappings().all()
    return OptionSnapshot.from_akeneo(
        attributes,
        ({**option, "labels": None if option["labels"] is None else json.loads(option["labels"])} for option in options),
    )


def _write(conn: Connection, warehouse: Warehouse, spec: TableSpec, rows: list[dict[str, Any]], upsert: bool = True) -> None:
    """Append, or upsert by key without ever overwriting `first_seen_at`."""
    if not rows:
        return
    staged = warehouse.stage(conn, spec.schema, to_arrow(spec, rows))
    q, target, names = warehouse.quote, warehouse.table(spec.name), spec.schema.names
    if upsert:
        statement = sql.upsert_select(q, target, staged, names, spec.key, keep=("first_seen_at",))
    else:
        statement = sql.insert_select(q, target, staged, names)
    conn.exec_driver_sql(statement)
