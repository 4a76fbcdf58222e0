"""Two option snapshots -> the picklist changes between them, in a stable order.

The order is part of the contract: change_ids are handed out in this order, so
the same pair of snapshots must always give the same rows in the same sequence.
Within an attribute: `attribute_added` first, then options by code (`added`,
`relabeled` by locale, `reordered`, `removed`), then `attribute_removed`, so a
consumer applying rows one by one never touches an option of an attribute it
has not created yet or has already dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from akeneo_pipeline.picklists.snapshot import OptionSnapshot, OptionState, source_of, split_key

ChangeType = Literal["added", "removed", "relabeled", "reordered", "attribute_added", "attribute_removed"]
CHANGE_TYPES: tuple[ChangeType, ...] = (
    "added", "removed", "relabeled", "reordered", "attribute_added", "attribute_removed",
)


@dataclass(frozen=True, slots=True)
class PicklistChange:
    """One change, before it gets its change_id.

    `added` and `removed` carry the option's whole `labels` (after, resp. before) so
    a target can create the value in one step; `relabeled` is one row per locale
    whose label appeared, changed or disappeared.
    """

    attribute_code: str
    option_code: str | None
    change_type: ChangeType
    locale: str | None = None
    old_label: str | None = None
    new_label: str | None = None
    old_sort_order: int | None = None
    new_sort_order: int | None = None
    labels: Mapping[str, str] | None = None
    # Which kind of picklist (snapshot.source_of) and, for a table attribute's select column, which column.
    source: str = "attribute_option"
    table_column: str | None = None


def diff(
    previous: OptionSnapshot | None, current: OptionSnapshot, *, emit_baseline: bool = False
) -> list[PicklistChange]:
    """Changes from `previous` to `current`.

    With no previous snapshot this is the first run: it is a baseline and yields
    nothing, unless `emit_baseline` asks for every attribute and option as added.
    """
    if previous is None:
        if not emit_baseline:
            return []
        previous = OptionSnapshot()
    changes: list[PicklistChange] = []
    attribute_codes = (
        previous.attributes.keys() | current.attributes.keys() | previous.options.keys() | current.options.keys()
    )
    for attribute_code in sorted(attribute_codes):
        was, now = attribute_code in previous.attributes, attribute_code in current.attributes
        old_options = previous.options.get(attribute_code, {})
        new_options = current.options.get(attribute_code, {})
        if was == now and old_options == new_options:
            continue  # the nightly common case: one C-level comparison per attribute
        start = len(changes)
        if now and not was:
            changes.append(PicklistChange(attribute_code, None, "attribute_added"))
        for option_code in sorted(old_options.keys() | new_options.keys()):
            _option_changes(
                attribute_code, option_code, old_options.get(option_code), new_options.get(option_code), changes
            )
        if was and not now:
            changes.append(PicklistChange(attribute_code, None, "attribute_removed"))
        kind = current.attributes.get(attribute_code) or previous.attributes.get(attribute_code)
        if source_of(kind) != "attribute_option":
            _name_picklist(changes, start, attribute_code, kind)
    return changes


def _name_picklist(changes: list[PicklistChange], start: int, key: str, kind: str | None) -> None:
    """The changes from `start` on, of an Enterprise picklist: its source and, for a table column, the
    attribute and column its key names."""
    attribute_code, table_column = split_key(key, kind)
    source = source_of(kind)
    for index in range(start, len(changes)):
        changes[index] = replace(changes[index], attribute_code=attribute_code, table_column=table_column,
                                 source=source)


def _option_changes(
    attribute_code: str,
    option_code: str,
    old: OptionState | None,
    new: OptionState | None,
    out: list[PicklistChange],
) -> None:
    if old == new:
        return
    if old is None:
        assert new is not None
        out.append(PicklistChange(
            attribute_code, option_code, "added", new_sort_order=new.sort_order, labels=dict(new.labels)
        ))
        return
    if new is None:
        out.append(PicklistChange(
            attribute_code, option_code, "removed", old_sort_order=old.sort_order, labels=dict(old.labels)
        ))
        return
    if old.labels != new.labels:
        for locale in sorted(old.labels.keys() | new.labels.keys()):
            before, after = old.labels.get(locale), new.labels.get(locale)
            if before != after:
                out.append(PicklistChange(
                    attribute_code, option_code, "relabeled", locale=locale, old_label=before, new_label=after
                ))
    if old.sort_order != new.sort_order:
        out.append(PicklistChange(
            attribute_code, option_code, "reordered",
            old_sort_order=old.sort_order, new_sort_order=new.sort_order,
        ))
