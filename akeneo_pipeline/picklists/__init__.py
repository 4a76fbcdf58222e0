"""Picklist diffs: attribute option snapshots -> change rows, value sets, a change feed.

Plain Python (no Dagster). `sync.sync_picklists` calls `read_option_snapshot` and
`commit_picklist_changes` (with the Akeneo client as its `lookup`, to confirm
removals); consumers follow the feed with `read_changes_after` and bootstrap whole lists with
`read_value_lists_after` (docs/picklist-feed.md).
What the changes touch in the catalog is storage's SQL (`Store.record_change_impact`).
"""

from akeneo_pipeline.picklists.commit import PicklistCommit, commit_picklist_changes, read_option_snapshot
from akeneo_pipeline.picklists.diff import CHANGE_TYPES, PicklistChange, diff
from akeneo_pipeline.picklists.feed import (
    FeedAheadError,
    FeedEpochError,
    FeedGapError,
    change_schema,
    read_changes_after,
)
from akeneo_pipeline.picklists.removals import AkeneoLookup, Removals
from akeneo_pipeline.picklists.snapshot import SELECT_ATTRIBUTE_TYPES, OptionSnapshot, PicklistInputError
from akeneo_pipeline.picklists.value_list_records import read_value_lists_after, value_list_schema

__all__ = [
    "CHANGE_TYPES", "SELECT_ATTRIBUTE_TYPES", "AkeneoLookup", "FeedAheadError", "FeedEpochError", "FeedGapError",
    "OptionSnapshot", "PicklistChange",
    "PicklistCommit", "PicklistInputError", "Removals", "change_schema", "commit_picklist_changes", "diff",
    "read_changes_after", "read_option_snapshot", "read_value_lists_after", "value_list_schema",
]
