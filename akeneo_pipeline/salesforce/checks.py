"""Checks before any deploy: an attribute Salesforce would refuse is held back, with the rule
it breaks and the values that break it, and the other attributes go.

A deploy is all or nothing (the target deploys with rollbackOnError), so one bad value
list would otherwise stop every attribute of the span. Each rule's source is in rules.py.

Missing master-locale labels: by default (`missing_master_label: hold_back`) an attribute
with an option lacking a label in the master locale is held back, because Salesforce would
show a made-up label and translations are keyed by it; `use_code` deploys the option code
as its label instead, as Akeneo's own UI shows `[code]` for an option without a label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from akeneo_pipeline.salesforce import rules
from akeneo_pipeline.salesforce.mapping import AttributeTarget, SalesforceMapping
from akeneo_pipeline.salesforce.value_lists import AttributeOption, AttributeValueList

LISTED_VALUES = 20  # values named in a message; HeldBack.values holds them all


@dataclass(frozen=True)
class HeldBack:
    """An attribute not deployed: which rule, which values, and a sentence a person can act on."""

    attribute_code: str
    target: str
    rule: str
    message: str
    values: tuple[str, ...] = ()


def master_label(option: AttributeOption, mapping: SalesforceMapping, attribute_code: str) -> str | None:
    """The option's label in the master locale; its code under `use_code`; else None."""
    label = option.labels.get(mapping.master_locale)
    if label is not None and label.strip():
        return label
    return option.code if mapping.label_policy(attribute_code) == "use_code" else None


def check_value_list(value_list: AttributeValueList, target: AttributeTarget,
                     mapping: SalesforceMapping) -> list[HeldBack]:
    """Every rule `value_list` breaks for `target`; an empty list means it can be deployed."""
    code, where = value_list.attribute_code, target.target_key
    found: list[HeldBack] = []

    def hold(rule: str, message: str, values: list[str] | tuple[str, ...] = ()) -> None:
        values = tuple(values)
        named = ", ".join(repr(v) for v in values[:LISTED_VALUES])
        more = f" and {len(values) - LISTED_VALUES} more" if len(values) > LISTED_VALUES else ""
        text = f"attribute {code} -> {where.split(':', 1)[1]}: {message}" + (f": {named}{more}" if values else "")
        found.append(HeldBack(code, where, rule, text, values))

    options = value_list.ordered()
    if len(options) > rules.MAX_VALUES:
        # One limit for every kind of picklist, inactive values included (rules.py says where it comes from).
        active = sum(o.active for o in options)
        hold("too_many_values", f"{len(options)} values ({active} active, {len(options) - active} inactive) exceed "
                                f"the {rules.MAX_VALUES:,} a picklist may hold, inactive values included")
    if not target.is_field and not options:
        # GlobalValueSet: customValue "Requires at least one value" (Metadata API, GlobalValueSet).
        hold("no_values", "a global value set needs at least one value and this attribute has none")

    too_long = [o.code for o in options if len(o.code) > rules.MAX_NAME_LENGTH]
    if too_long:
        hold("api_name_too_long", f"option codes longer than {rules.MAX_NAME_LENGTH} characters cannot be "
                                  "Salesforce API names", too_long)
    # A value holding a line break cannot be a picklist value (the Picklist Limitations page counts
    # the line break that separates values), and a character XML 1.0 forbids cannot be written
    # into a Metadata API file at all.
    unwritable = [o.code for o in options if rules.xml_unwritable(o.code) or "\n" in o.code or "\r" in o.code]
    if unwritable:
        hold("api_name_unwritable", "option codes holding a line break or a control character cannot be "
                                    "Salesforce API names", unwritable)
    if value_list.attribute_type == "multi_select" and target.is_field:
        with_separator = [o.code for o in options if rules.MULTI_SELECT_SEPARATOR in o.code]
        if with_separator:
            hold("semicolon_in_multi_select", "a multi-select picklist separates its values with ';', so these "
                                              "option codes cannot be told apart from two values", with_separator)
    by_key: dict[str, list[str]] = defaultdict(list)
    for option in options:
        by_key[rules.api_name_key(option.code)].append(option.code)
    colliding = [c for group in by_key.values() if len(group) > 1 for c in group]
    if colliding:
        hold("api_name_collision", "option codes that differ only by case (or full/half width) are one API name "
                                   "in Salesforce", colliding)

    labels = {o.code: master_label(o, mapping, code) for o in options}
    unlabelled = [c for c, label in labels.items() if label is None]
    if unlabelled:
        hold("missing_master_label", f"options without a {mapping.master_locale} label (the master locale); set "
                                     "missing_master_label: use_code to deploy their codes as labels", unlabelled)
    texts: list[tuple[str, str]] = [(c, label) for c, label in labels.items() if label is not None]
    for option in options:
        texts += [(option.code, option.labels[locale]) for locale in mapping.languages if locale in option.labels]
    long_labels = sorted({c for c, text in texts if len(text) > rules.MAX_LABEL_LENGTH})
    if long_labels:
        hold("label_too_long", f"labels longer than {rules.MAX_LABEL_LENGTH} characters", long_labels)
    bad_labels = sorted({c for c, text in texts if rules.xml_unwritable(text) or "\n" in text or "\r" in text})
    if bad_labels:
        hold("label_unwritable", "labels holding a line break or a control character", bad_labels)
    if mapping.languages:
        by_label: dict[str, list[str]] = defaultdict(list)
        for c, label in labels.items():
            if label is not None:
                by_label[label].append(c)
        shared = [c for group in by_label.values() if len(group) > 1 for c in group]
        if shared:
            hold("duplicate_master_label", "options sharing a master label cannot be translated apart "
                                           "(Salesforce keys translations by master label)", shared)
    return found
