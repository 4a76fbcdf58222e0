"""Removals the diff may record: what this run's read missed, confirmed gone by Akeneo.

Attributes and attribute options page by offset, each page computed afresh
(pim-community-dev's AttributeController and AttributeOptionController list with
`searchAfterOffset(..., ['code' => 'ASC'], limit, offset)`). Something created or
removed while they are read shifts the later items by one:

- a removal before the read position pushes the next item out of the pages read.
  Absent from the snapshot, it would be recorded `removed` (a downstream sync would
  deactivate a live value) and `added` again next run. So a removal is only recorded
  once Akeneo's get-one route answers 404 (`GET /attributes/{attribute_code}/options/{code}`,
  `GET /attributes/{code}`). One still there is kept exactly as the last committed run
  saw it, active, with no change row, and reported as an unconfirmed removal; the next
  run reads it again. A skipped attribute takes its options out of the read too (they
  are read per select attribute), so an unconfirmed attribute keeps all of its options.
- a creation before the read position makes the last item of a page come again on the
  next page. The Store keeps the first copy (a keyed snapshot), so nothing doubles.
- an item created behind the read position is not seen: it is `added` next run, late
  but right. Labels and sort order travel with the item on one page, so a shift never
  mixes two states of one option.

Enterprise picklists: a reference entity attribute and a table attribute come from the same offset-paged
attribute list, so a picklist of theirs that vanished is confirmed with `GET /attributes/{code}` too (a table
column's picklist stands while the attribute still has that `select` column). Their values are not read by
offset: records by search_after, whose cursor is the last code read (rest-api_pagination.md), and only gone
from the stored table after a complete read (storage/record_load.py); a table column's options come whole
inside their attribute's item. So a record or a table select option missing from this run is removed, with
no lookup.

Pure but for the lookup, which is passed in (`AkeneoClient` satisfies `AkeneoLookup`),
so this layer never imports the Akeneo client. A lookup that fails raises: the caller
records nothing rather than guess.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from akeneo_pipeline.picklists.snapshot import (
    REFERENCE_ENTITY_TYPES,
    SELECT_ATTRIBUTE_TYPES,
    TABLE_TYPE,
    OptionSnapshot,
    OptionState,
    source_of,
    split_key,
)

log = logging.getLogger("akeneo_pipeline.picklists")

LOGGED_CODES = 20


class AkeneoLookup(Protocol):
    """Akeneo's get-one routes; None where Akeneo answers 404."""

    def get_attributes(self, codes: Iterable[str]) -> Mapping[str, Mapping[str, Any] | None]: ...

    def get_attribute_options(
        self, keys: Iterable[tuple[str, str]]
    ) -> Mapping[tuple[str, str], Mapping[str, Any] | None]: ...


@dataclass(frozen=True)
class Removals:
    """Select attributes, and options of attributes still read, that the last run had and this one lacks."""

    attributes: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        return len(self.attributes) + len(self.options)

    def as_rows(self) -> list[dict[str, str | None]]:
        """One row per removal, attribute-level ones with option_code None (for metadata)."""
        return [{"attribute_code": code, "option_code": None} for code in self.attributes] + [
            {"attribute_code": attribute, "option_code": code} for attribute, code in self.options
        ]


def suspected_removals(previous: OptionSnapshot, current: OptionSnapshot) -> Removals:
    """What the diff would record as `attribute_removed` or `removed`, before any request.

    Options of a vanished attribute are not listed: they stand or fall with their attribute.
    """
    attributes = tuple(sorted(previous.attributes.keys() - current.attributes.keys()))
    options: list[tuple[str, str]] = []
    for attribute_code in sorted(previous.attributes.keys() & current.attributes.keys()):
        old, new = previous.options.get(attribute_code, {}), current.options.get(attribute_code, {})
        options.extend((attribute_code, code) for code in sorted(old.keys() - new.keys()))
    return Removals(attributes, tuple(options))


def confirm_removals(
    previous: OptionSnapshot, current: OptionSnapshot, lookup: AkeneoLookup
) -> tuple[OptionSnapshot, Removals]:
    """(the snapshot to diff, the removals Akeneo did not confirm).

    Asks only about suspected removals: a nightly run without one makes no request.
    An attribute counts as removed when Akeneo answers 404 or serves it as something
    other than a select attribute; an option when Akeneo answers 404.
    """
    suspected = suspected_removals(previous, current)
    if not suspected:
        return current, suspected
    kinds = previous.attributes
    parts = {key: split_key(key, kinds[key]) for key in suspected.attributes}
    asked = list(dict.fromkeys(code for code, _ in parts.values()))
    found_attributes = lookup.get_attributes(asked) if asked else {}
    # Only attribute options are read from an offset-paged list: the other values are trusted (see above).
    option_keys = [key for key in suspected.options if source_of(kinds[key[0]]) == "attribute_option"]
    found_options = lookup.get_attribute_options(option_keys) if option_keys else {}
    unconfirmed = Removals(
        tuple(key for key in suspected.attributes
              if _still_picklist(found_attributes.get(parts[key][0]), kinds[key], parts[key][1])),
        tuple(key for key in option_keys if found_options.get(key) is not None),
    )
    if not unconfirmed:
        return current, unconfirmed
    codes = [f"{r['attribute_code']}.{r['option_code']}" if r["option_code"] else str(r["attribute_code"])
             for r in unconfirmed.as_rows()]
    log.warning(
        "%d removal(s) missing from this run's read are still in Akeneo and were kept as they were "
        "(no `removed` row): %s%s. Akeneo's get-one route still serves them: the offset-paged attributes or "
        "options list shifted while it was read (something was created or removed meanwhile); the next run "
        "reads them again",
        len(unconfirmed), ", ".join(codes[:LOGGED_CODES]), ", ..." if len(codes) > LOGGED_CODES else "",
    )
    return keep_unconfirmed(previous, current, unconfirmed), unconfirmed


def keep_unconfirmed(previous: OptionSnapshot, current: OptionSnapshot, unconfirmed: Removals) -> OptionSnapshot:
    """`current` with each unconfirmed removal put back as `previous` had it."""
    attributes = dict(current.attributes)
    options: dict[str, Mapping[str, OptionState]] = dict(current.options)
    for code in unconfirmed.attributes:
        attributes[code] = previous.attributes[code]
        options[code] = dict(previous.options.get(code, {}))
    restored: dict[str, dict[str, OptionState]] = {}
    for attribute_code, code in unconfirmed.options:
        siblings = restored.setdefault(attribute_code, dict(options.get(attribute_code, {})))
        siblings[code] = previous.options[attribute_code][code]
    options.update(restored)
    return OptionSnapshot(attributes, options)


def _still_picklist(item: Mapping[str, Any] | None, kind: str, table_column: str | None) -> bool:
    """Whether Akeneo still serves the attribute as the same kind of picklist."""
    if item is None:
        return False
    if kind in REFERENCE_ENTITY_TYPES:
        return item.get("type") in REFERENCE_ENTITY_TYPES
    if kind == TABLE_TYPE:
        columns = item.get("table_configuration")
        return item.get("type") == TABLE_TYPE and isinstance(columns, list) and any(
            isinstance(c, dict) and c.get("code") == table_column and c.get("data_type") == "select" for c in columns)
    return item.get("type") in SELECT_ATTRIBUTE_TYPES
