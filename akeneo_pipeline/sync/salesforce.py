"""One run of the Salesforce picklist target: the value lists that changed since each mapped
attribute's last deploy, from the warehouse, into `deploy_value_lists` (salesforce/deploy.py).

Which attributes go: every mapped attribute Salesforce has no position for (the first run
deploys them all), whose newest change is past its position, or whose mapping changed
(another field, a new language). Each goes as its whole list from `picklist_current` and
`picklist_attributes` (removed options inactive), read in one transaction with the change
log, so the lists and the span's last change id agree. Positions live in the warehouse
(salesforce_positions.py) and are written only after Salesforce's success.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from akeneo_pipeline.picklists.snapshot import MULTI_SELECT_TYPES
from akeneo_pipeline.picklists.value_list_records import read_value_lists_after
from akeneo_pipeline.salesforce import (
    AttributeOption,
    AttributeValueList,
    DeployedPositions,
    MetadataClient,
    SalesforceDeployResult,
    SalesforceMapping,
    ValueListSpan,
    deploy_value_lists,
    load_mapping,
)
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync.salesforce_positions import WarehousePositions

DEFAULT_SOURCE = "attribute_option"
# change types -> what they do to a Salesforce value (the asset's metadata)
_EFFECTS = {"added": "added", "removed": "deactivated", "relabeled": "relabelled", "reordered": "reordered"}


@dataclass(frozen=True)
class SalesforceSyncResult:
    last_change_id: int
    """The change log's end when the lists were read (0: only the baseline so far)."""
    deploy: SalesforceDeployResult | None
    """None when no mapped attribute needed a deploy."""
    value_changes: dict[str, int] = field(default_factory=dict)
    """Deployed attributes' changes since their last deploy: added, deactivated, relabelled, reordered."""
    waiting: tuple[str, ...] = ()
    """Mapped attributes the warehouse has no select attribute for (yet)."""


def sync_salesforce_picklists(store: Store, settings: SalesforceSettings, mapping: SalesforceMapping | None = None,
                              *, client: MetadataClient | None = None,
                              positions: DeployedPositions | None = None) -> SalesforceSyncResult:
    """Deploy (or, without SALESFORCE_* settings, write as a dry-run package) every mapped value
    list that changed since its last deploy. Positions default to the warehouse's."""
    mapping = mapping if mapping is not None else load_mapping(settings.mapping_file)
    positions = positions if positions is not None else WarehousePositions(store)
    stored = positions.read()
    with store.picklist_transaction("read the value lists to deploy to Salesforce") as tables:
        last = tables.last_change_id()
        newest = tables.last_change_by_attribute()
        attributes, _ = tables.value_list_rows(mapping.attributes)
        known = {row["attribute_code"] for row in attributes}
        due, since = [], {}
        for code in sorted(known):
            target = mapping.attributes[code]
            position = stored.get((code, target.target_key))
            if position is None or position.change_id < newest.get(code, 0) \
                    or position.mapping_digest != mapping.digest(code):
                due.append(code)
                since[code] = position.change_id if position is not None else 0
        rows, options = tables.value_list_rows(due)
        details = tables.attribute_details(due)
        changes = tables.changes_after(min(since.values(), default=last)) if due else []
    waiting = tuple(sorted(set(mapping.attributes) - known))
    if not due:
        return SalesforceSyncResult(last, None, waiting=waiting)
    # 0..0 before any change: the baseline's value sets (picklist_current as the first run recorded it).
    first = min(min(since.values()) + 1, last)
    span = ValueListSpan(first_change_id=first, last_change_id=last,
                         value_lists=tuple(value_lists(rows, options, details)))
    result = deploy_value_lists(span, mapping, settings=settings, positions=positions, client=client)
    deployed = {a.attribute_code for a in result.deployed}
    effects = Counter(_EFFECTS[row["change_type"]] for row in changes
                      if row["attribute_code"] in deployed and row["change_id"] > since[row["attribute_code"]]
                      and row["change_type"] in _EFFECTS)
    return SalesforceSyncResult(last, result, {effect: effects.get(effect, 0) for effect in _EFFECTS.values()},
                                waiting)


def feed_value_list_span(data_dir: Path, last_change_id: int, *, epoch: str | None = None) -> ValueListSpan | None:
    """For a consumer that reads only the feed directory: the value lists of every attribute changed
    after `last_change_id`, from the feed's value-list records (picklists/value_list_records.py), as
    the target's input; None when nothing changed. Raises the feed's FeedGapError family for a
    position of another epoch, beyond the feed, or with files missing."""
    records = read_value_lists_after(data_dir, last_change_id, epoch=epoch)
    if not records:
        return None
    lists = [AttributeValueList(
        attribute_code=r["attribute_code"],
        attribute_type="multi_select" if r["attribute_type"] in MULTI_SELECT_TYPES else "single_select",
        source=r.get("source") or DEFAULT_SOURCE, labels=r["labels"],
        auto_option_sorting=bool(r["auto_option_sorting"]),
        options=tuple(AttributeOption(code=o["code"], sort_order=o["sort_order"], labels=o["labels"],
                                      active=o["active"]) for o in r["options"]))
        for r in records]
    last = max(r["as_of_change_id"] for r in records)
    return ValueListSpan(first_change_id=min(last_change_id + 1, last), last_change_id=last, value_lists=tuple(lists))


def value_lists(attributes: Sequence[Mapping[str, Any]], options: Sequence[Mapping[str, Any]],
                details: Mapping[str, Mapping[str, Any]]) -> list[AttributeValueList]:
    """picklist_attributes and picklist_current rows (Store reads) as the target's input."""
    by_attribute: dict[str, list[AttributeOption]] = {}
    for row in options:
        by_attribute.setdefault(row["attribute_code"], []).append(AttributeOption(
            code=row["option_code"], sort_order=row["sort_order"], labels=dict(row["labels"] or {}),
            active=bool(row["active"])))
    out = []
    for row in attributes:
        code, found = row["attribute_code"], details.get(row["attribute_code"], {})
        out.append(AttributeValueList(
            attribute_code=code,
            attribute_type="multi_select" if row["attribute_type"] in MULTI_SELECT_TYPES else "single_select",
            source=row.get("source") or DEFAULT_SOURCE, labels=dict(found.get("labels") or {}),
            auto_option_sorting=bool(found.get("auto_option_sorting")),
            options=tuple(by_attribute.get(code, ()))))
    return out
