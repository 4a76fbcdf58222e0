"""Picklist diffs: attribute option snapshots -> change rows, value sets, a change feed, impact.

Plain Python (no Dagster). The asset calls `load_snapshot` and
`record_picklist_changes` (with the Akeneo client as its `lookup`, to confirm
removals), then `change_impact` and `dangling_values`; consumers follow the feed
with `read_changes_after` (docs/picklist-feed.md).
"""

from akeneo_pipeline.picklists.diff import CHANGE_TYPES, PicklistChange, diff
from akeneo_pipeline.picklists.feed import FeedGapError, change_schema, read_changes_after
from akeneo_pipeline.picklists.impact import change_impact, dangling_values, latest_run_impact
from akeneo_pipeline.picklists.record import PicklistRunResult, load_snapshot, record_picklist_changes
from akeneo_pipeline.picklists.removals import AkeneoLookup, Removals
from akeneo_pipeline.picklists.snapshot import SELECT_ATTRIBUTE_TYPES, OptionSnapshot, PicklistInputError

__all__ = [
    "CHANGE_TYPES", "SELECT_ATTRIBUTE_TYPES", "AkeneoLookup", "FeedGapError", "OptionSnapshot", "PicklistChange",
    "PicklistInputError", "PicklistRunResult", "Removals", "change_impact", "change_schema", "dangling_values", "diff",
    "latest_run_impact", "load_snapshot", "read_changes_after", "record_picklist_changes",
]
