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
# Reference-data selects: Akeneo lists no values for them over the REST API (attribute options are served
# for pim_catalog_simpleselect / multiselect only, streams.py OPTION_ATTRIBUTE_TYPES), so they are picklists
# without values, noted as such in picklist_attributes.
REFERENCE_DATA_TYPES: frozenset[str] = frozenset(t for t in SELECT_ATTRIBUTE_TYPES if "reference_data" in t)
REFERENCE_DATA_NOTE = ("a reference data select: Akeneo's REST API lists no values for reference data, so this "
                       "picklist has none to compare")
# Enterprise picklists (docs/concepts_products.md, "Reference entity single and multiple links attribute";
# docs/concepts_catalog-structure.md, "Table"): a reference entity attribute's picklist is its entity's records,
# a table attribute's select column a picklist of its own.
REFERENCE_ENTITY_TYPES: frozenset[str] = frozenset({"akeneo_reference_entity", "akeneo_reference_entity_collection"})
TABLE_TYPE = "pim_catalog_table"
PICKLIST_TYPES: frozenset[str] = SELECT_ATTRIBUTE_TYPES | REFERENCE_ENTITY_TYPES | {TABLE_TYPE}
# A table select column's picklist is keyed `<attribute>/<column>`: Akeneo attribute codes hold letters,
# digits and underscores only (pim-community-dev, the attribute code's validation: /^[a-zA-Z0-9_]+$/), so the
# separator never appears in one. Only keys of table type are split.
COLUMN_SEPARATOR = "/"
Source = str  # "attribute_option" | "reference_entity_record" | "table_select_option" (salesforce/value_lists.py)


def picklist_key(attribute_code: str, table_column: str | None = None) -> str:
    return attribute_code if table_column is None else f"{attribute_code}{COLUMN_SEPARATOR}{table_column}"


def split_key(key: str, kind: str | None) -> tuple[str, str | None]:
    """(attribute_code, table_column) of a picklist key; table_column is None but for table select columns."""
    if kind == TABLE_TYPE and COLUMN_SEPARATOR in key:
        attribute, column = key.split(COLUMN_SEPARATOR, 1)
        return attribute, column
    return key, None


def source_of(kind: str | None) -> Source:
    if kind in REFERENCE_ENTITY_TYPES:
        return "reference_entity_record"
    if kind == TABLE_TYPE:
        return "table_select_option"
    return "attribute_option"


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
            # A table attribute itself is no picklist: its select columns are (keys `<attribute>/<column>`).
            if kind in PICKLIST_TYPES and (kind != TABLE_TYPE or COLUMN_SEPARATOR in code):
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
