"""One run's view of every picklist: the select attributes and their attribute options.

Akeneo gives attribute options no `updated` date and no change feed, so the only
way to see a change is to compare two complete snapshots. A snapshot is built
from items exactly as Akeneo sends them (plain dicts) and holds just what a
downstream picklist cares about: labels per locale and sort order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Akeneo's documentation spells the reference-data types three ways (concepts
# page, products page, Swagger enum); accept every spelling.
SIMPLE_SELECT_TYPES: frozenset[str] = frozenset({
    "pim_catalog_simpleselect",
    "pim_reference_data_simpleselect",
    "pim_catalog_reference_data_simpleselect",
    "pim_catalog_reference_data_simple_select",
})
MULTI_SELECT_TYPES: frozenset[str] = frozenset({
    "pim_catalog_multiselect",
    "pim_reference_data_multiselect",
    "pim_catalog_reference_data_multiselect",
    "pim_catalog_reference_data_multi_select",
})
SELECT_ATTRIBUTE_TYPES: frozenset[str] = SIMPLE_SELECT_TYPES | MULTI_SELECT_TYPES


class PicklistInputError(ValueError):
    """An attribute or attribute option item the snapshot cannot place; names the item."""


class OptionState(NamedTuple):
    """What a target holds for one attribute option. A NamedTuple compares fast,
    which keeps a 100,000-option diff well under a second."""

    sort_order: int | None
    labels: Mapping[str, str]


@dataclass(frozen=True)
class OptionSnapshot:
    """Select attributes (code -> Akeneo type) and their options (attribute -> option -> state).

    Options are grouped by attribute so a diff can skip an unchanged attribute with
    one dict comparison. Codes are kept byte for byte: an option's code never
    changes in Akeneo, so a run compares it with itself, and hostile codes (quotes,
    spaces, unicode) are just strings here. Product values are matched to options
    case-insensitively, as Akeneo does (storage/impact.py).
    """

    attributes: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, OptionState]] = field(default_factory=dict)

    @property
    def option_count(self) -> int:
        return sum(len(options) for options in self.options.values())

    def option(self, attribute_code: str, option_code: str) -> OptionState | None:
        return self.options.get(attribute_code, {}).get(option_code)

    @classmethod
    def from_akeneo(
        cls, attributes: Iterable[Mapping[str, Any]], options: Iterable[Mapping[str, Any]]
    ) -> OptionSnapshot:
        """Build from attribute items and attribute option items of one run.

        Non-select attributes are dropped. An option whose attribute is not a select
        attribute of this run, or that appears twice, raises rather than being
        silently lost or doubled.
        """
        selects: dict[str, str] = {}
        for item in attributes:
            code, kind = item.get("code"), item.get("type")
            if not isinstance(code, str) or not isinstance(kind, str):
                raise PicklistInputError(f"attribute item without a string code and type: {_brief(item)}")
            if kind in SELECT_ATTRIBUTE_TYPES:
                selects[code] = kind
        states: dict[str, dict[str, OptionState]] = {code: {} for code in selects}
        for item in options:
            attribute_code, code = item.get("attribute"), item.get("code")
            if type(code) is not str or type(attribute_code) is not str:
                raise PicklistInputError(f"attribute option without a string attribute and code: {_brief(item)}")
            siblings = states.get(attribute_code)
            if siblings is None:
                raise PicklistInputError(
                    f"attribute option {code!r} belongs to attribute {attribute_code!r}, "
                    "which is not a select attribute in this run's attributes"
                )
            if code in siblings:
                raise PicklistInputError(f"attribute option {code!r} of attribute {attribute_code!r} appears twice")
            sort_order, labels = item.get("sort_order"), item.get("labels")
            if type(sort_order) is not int and sort_order is not None:
                sort_order = _sort_order(item)
            # Fast path for the usual shape; _labels handles nulls and bad types.
            if type(labels) is dict and all(type(label) is str for label in labels.values()):
                labels = dict(labels)
            else:
                labels = _labels(item)
            siblings[code] = OptionState(sort_order, labels)
        return cls(selects, states)


def _sort_order(item: Mapping[str, Any]) -> int | None:
    value = item.get("sort_order")
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return int(value) if value is not None else None
    raise PicklistInputError(
        f"attribute option {item.get('code')!r} of attribute {item.get('attribute')!r} "
        f"has a non-integer sort_order {value!r}"
    )


def _labels(item: Mapping[str, Any]) -> dict[str, str]:
    """Labels per locale; a null label means no label in that locale, as in Akeneo's UI."""
    raw = item.get("labels") or {}
    if not isinstance(raw, Mapping):
        raise PicklistInputError(
            f"attribute option {item.get('code')!r} of attribute {item.get('attribute')!r} "
            f"has labels that are not an object: {type(raw).__name__}"
        )
    labels = {locale: label for locale, label in raw.items() if label is not None}
    for locale, label in labels.items():
        if not isinstance(locale, str) or not isinstance(label, str):
            raise PicklistInputError(
                f"attribute option {item.get('code')!r} of attribute {item.get('attribute')!r} "
                f"has a label that is not text in locale {locale!r}: {label!r}"
            )
    return labels


def _brief(item: Mapping[str, Any]) -> str:
    text = repr(dict(item))
    return text if len(text) <= 200 else text[:197] + "..."
