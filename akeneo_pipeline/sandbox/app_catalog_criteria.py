"""An App catalog's product selection: the criteria a PIM user saves in Akeneo's UI, checked
and compiled the way Akeneo checks and runs them.

Format, as Akeneo stores it (pim-community-dev, components/catalogs/back/src/Domain/Catalog.php,
`product_selection_criteria`): a list of `{"field", "operator", "value"}` objects, ANDed. The
sandbox models the three system criteria of
components/catalogs/back/src/Infrastructure/Validation/ProductSelection/SystemCriterion/:

- `enabled` (EnabledCriterion.php): operator `=` or `!=`, value a boolean;
- `family` (FamilyCriterion.php): `IN`, `NOT IN`, `EMPTY`, `NOT EMPTY`, value a list of family
  codes, which must be empty for EMPTY / NOT EMPTY (CriterionOperatorsRequireEmptyValue);
- `categories` (CategoriesCriterion.php): `IN`, `NOT IN`, `IN CHILDREN`, `NOT IN CHILDREN`,
  `UNCLASSIFIED`, `IN OR UNCLASSIFIED`, value a list of category codes, empty for UNCLASSIFIED.

Each is a Symfony `Collection` with `allowMissingFields: false, allowExtraFields: false`, so a
criterion has exactly those three keys. Operators are the constants of Domain/Operator.php.
Codes must exist (FamilyCriterionContainsValidFamiliesValidator,
CategoriesCriterionContainsValidCategoriesValidator); the messages are the en_US ones of
Infrastructure/Symfony/Resources/translations/validators.en_US.yml. The guide (catalogs.md,
"Limits") allows up to 25 criteria.

Running them: FormatProductSelectionCriteria::toPQBFilters hands the criteria to the product
query builder unchanged, so they mean what the PQB's Elasticsearch filters make of them
(src/Akeneo/Pim/Enrichment/Bundle/Elasticsearch/Filter/Field/FamilyFilter.php, CategoryFilter.php):
family IN / NOT IN are `terms` on `family.code` (NOT IN keeps products without a family),
EMPTY / NOT EMPTY an `exists`; categories IN / NOT IN are `terms` on `categories`, IN CHILDREN /
NOT IN CHILDREN the same over the codes and all their descendants (getAllChildrenCodes),
UNCLASSIFIED "no categories", IN OR UNCLASSIFIED either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.sandbox.filters import ProductFilter

MAX_CRITERIA = 25  # catalogs.md, "Limits": "A product selection can have up to 25 selection criteria"
OPERATORS = {
    "enabled": ("=", "!="),
    "family": ("EMPTY", "NOT EMPTY", "IN", "NOT IN"),
    "categories": ("IN", "NOT IN", "IN CHILDREN", "NOT IN CHILDREN", "UNCLASSIFIED", "IN OR UNCLASSIFIED"),
}
EMPTY_VALUE_OPERATORS = {"family": ("EMPTY", "NOT EMPTY"), "categories": ("UNCLASSIFIED",)}
# Akeneo also has completeness and attribute criteria (Validation/ProductSelection/); the sandbox
# refuses to save them rather than ignore them.

# Symfony's and Akeneo's en_US messages.
MISSING = "This field is missing."
EXTRA = "This field was not expected."
BAD_CHOICE = "The value you selected is not a valid choice."
NOT_EMPTY = "This value must be empty."  # akeneo_catalogs.validation.product_selection.criteria.value.not_empty
UNKNOWN_FAMILY = "At least one selected family does not exist."
UNKNOWN_CATEGORIES = ("The following categories do not exist anymore: {codes}. "
                      "Please remove them from the criterion value.")


class InvalidSelection(ValueError):
    """A selection Akeneo's validation refuses: the property path and message of the first violation."""


@dataclass(frozen=True)
class CategoryCondition:
    """One categories criterion, compiled: `mode` is any / none / unclassified / any_or_unclassified."""

    mode: str
    codes: frozenset[str]

    def matches(self, categories: Iterable[str]) -> bool:
        present = set(categories)
        if self.mode == "any":
            return bool(present & self.codes)
        if self.mode == "none":
            return not present & self.codes
        if self.mode == "unclassified":
            return not present
        return not present or bool(present & self.codes)  # any_or_unclassified


@dataclass
class Selection:
    """Criteria compiled: the product filter the sandbox's index already runs (enabled, family),
    category conditions on top, and `impossible` when two criteria contradict each other."""

    filter: ProductFilter = field(default_factory=ProductFilter)
    categories: list[CategoryCondition] = field(default_factory=list)
    impossible: bool = False

    def key(self) -> str:
        """One text per meaning, for the match cache."""
        f = self.filter
        return repr((f.enabled, sorted(f.family_in, key=str) if f.family_in is not None else None,
                     sorted(f.family_not_in, key=str),
                     [(c.mode, sorted(c.codes)) for c in self.categories], self.impossible))


def check_structure(criteria: Any) -> None:
    """Akeneo's structural checks on a saved selection; raises InvalidSelection naming the path."""
    if not isinstance(criteria, list):
        raise InvalidSelection("product_selection_criteria: This value should be of type array.")
    if len(criteria) > MAX_CRITERIA:
        raise InvalidSelection(f"product_selection_criteria: This collection should contain {MAX_CRITERIA} "
                               "elements or less.")
    for n, criterion in enumerate(criteria):
        at = f"product_selection_criteria[{n}]"
        if not isinstance(criterion, dict):
            raise InvalidSelection(f"{at}: This value should be of type array.")
        name = criterion.get("field")
        if name not in OPERATORS:
            raise InvalidSelection(f"{at}[field]: the sandbox models only the enabled, family and categories "
                                   f"criteria of Akeneo, not {name!r}")
        for key in ("field", "operator", "value"):
            if key not in criterion:
                raise InvalidSelection(f"{at}[{key}]: {MISSING}")
        for key in criterion:
            if key not in ("field", "operator", "value"):
                raise InvalidSelection(f"{at}[{key}]: {EXTRA}")
        operator, value = criterion["operator"], criterion["value"]
        if operator not in OPERATORS[name]:
            raise InvalidSelection(f"{at}[operator]: {BAD_CHOICE}")
        if name == "enabled":
            if not isinstance(value, bool):
                raise InvalidSelection(f"{at}[value]: This value should be of type boolean.")
            continue
        if not isinstance(value, list):
            raise InvalidSelection(f"{at}[value]: This value should be of type array.")
        if not all(isinstance(v, str) for v in value):
            raise InvalidSelection(f"{at}[value]: This value should be of type string.")
        if operator in EMPTY_VALUE_OPERATORS.get(name, ()) and value:
            raise InvalidSelection(f"{at}[value]: {NOT_EMPTY}")


def unknown_codes(criteria: list[dict[str, Any]], families: set[str], categories: set[str]) -> str | None:
    """The first existence violation (IsCatalogValid runs the same validators), or None when valid."""
    for n, criterion in enumerate(criteria):
        at = f"product_selection_criteria[{n}][value]"
        if criterion["field"] == "family" and any(code not in families for code in criterion["value"]):
            return f"{at}: {UNKNOWN_FAMILY}"
        if criterion["field"] == "categories":
            missing = [code for code in criterion["value"] if code not in categories]
            if missing:
                return f"{at}: {UNKNOWN_CATEGORIES.format(codes=', '.join(missing))}"
    return None


def compile_selection(criteria: list[dict[str, Any]], descendants: Callable[[str], set[str]]) -> Selection:
    """The criteria as the PQB runs them, ANDed; `descendants(code)` gives a category's subtree codes."""
    s = Selection()
    f = s.filter
    for criterion in criteria:
        name, operator, value = criterion["field"], criterion["operator"], criterion["value"]
        if name == "enabled":
            wanted = value if operator == "=" else not value
            if f.enabled is not None and f.enabled != wanted:
                s.impossible = True
            f.enabled = wanted
        elif name == "family":
            if operator in ("IN", "EMPTY"):
                codes: set[str | None] = set(value) if operator == "IN" else {None}
                f.family_in = codes if f.family_in is None else f.family_in & codes
            else:
                f.family_not_in |= set(value) if operator == "NOT IN" else {None}
        else:
            codes_in = set(value)
            if operator in ("IN CHILDREN", "NOT IN CHILDREN"):
                for code in value:
                    codes_in |= descendants(code)
            mode = {"IN": "any", "IN CHILDREN": "any", "NOT IN": "none", "NOT IN CHILDREN": "none",
                    "UNCLASSIFIED": "unclassified", "IN OR UNCLASSIFIED": "any_or_unclassified"}[operator]
            s.categories.append(CategoryCondition(mode, frozenset(codes_in)))
    if f.family_in is not None and not f.family_in:
        s.impossible = True
    return s
