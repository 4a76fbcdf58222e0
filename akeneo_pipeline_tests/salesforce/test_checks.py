"""Checks before any deploy: each rule holds an attribute back, names the rule and the values
that break it, and lets a list just inside the limits through."""

from __future__ import annotations

from akeneo_pipeline.salesforce import AttributeOption, SalesforceMapping, check_value_list, parse_mapping
from akeneo_pipeline_tests.fixtures.salesforce import many_options, option, value_list

MAPPING = parse_mapping("""\
master_locale: en_US
attributes:
  restricted: {field: Product2.Restricted__c}
  open: {field: Product2.Open__c, restricted: false}
  shared: {global_value_set: Shared}
  lenient: {field: Product2.Lenient__c, missing_master_label: use_code}
""")
TRANSLATED = parse_mapping("""\
master_locale: en_US
languages: {fr_FR: fr}
attributes:
  restricted: {field: Product2.Restricted__c}
""")


def rules(attribute: str, *options: AttributeOption, mapping: SalesforceMapping = MAPPING,
          multi: bool = False) -> dict[str, tuple[str, ...]]:
    found = check_value_list(value_list(attribute, *options, multi=multi), mapping.attributes[attribute], mapping)
    return {h.rule: h.values for h in found}


def test_value_counts_follow_the_kind_of_picklist() -> None:
    assert rules("restricted", *many_options(1000)) == {}
    assert rules("restricted", *many_options(1001, inactive_from=990)) == {"too_many_values": ()}
    assert rules("shared", *many_options(1001, inactive_from=0)) == {"too_many_values": ()}
    # Unrestricted too: 1,000 values, inactive ones included (not 1,000 active plus 4,000 inactive).
    assert rules("open", *many_options(1000, inactive_from=10)) == {}
    assert rules("open", *many_options(1001, inactive_from=900)) == {"too_many_values": ()}
    assert rules("open", *many_options(1001)) == {"too_many_values": ()}
    [held] = check_value_list(value_list("restricted", *many_options(1001)), MAPPING.attributes["restricted"], MAPPING)
    assert held.message == ("attribute restricted -> Product2.Restricted__c: 1001 values (1001 active, 0 inactive) "
                            "exceed the 1,000 a picklist may hold, inactive values included")


def test_names_and_labels_longer_than_255_characters() -> None:
    long_code, long_label = "c" * 256, "L" * 256
    assert rules("restricted", option("c" * 255, 1, en_US="ok"), option(long_code, 2, en_US="x")) == \
        {"api_name_too_long": (long_code,)}
    assert rules("restricted", option("a", 1, en_US=long_label), option("b", 2, en_US="B" * 255)) == \
        {"label_too_long": ("a",)}
    # A translation Salesforce would store is checked too.
    assert rules("restricted", option("a", 1, en_US="A", fr_FR=long_label), mapping=TRANSLATED) == \
        {"label_too_long": ("a",)}


FULL_WIDTH_BLUE = "\uff42\uff4c\uff55\uff45"  # "blue" in full-width letters


def test_api_names_colliding_without_regard_to_case_or_width() -> None:
    found = rules("restricted", option("red", 1, en_US="Red"), option("RED", 2, en_US="Red 2"),
                  option(FULL_WIDTH_BLUE, 3, en_US="Blue (full width)"), option("Blue", 4, en_US="Blue"),
                  option("green", 5, en_US="Green"))
    assert found == {"api_name_collision": ("red", "RED", FULL_WIDTH_BLUE, "Blue")}


def test_missing_master_labels_hold_back_unless_codes_stand_in() -> None:
    assert rules("restricted", option("red", 1, en_US="Red"), option("blue", 2, fr_FR="Bleu"),
                 option("green", 3, en_US="  ")) == {"missing_master_label": ("blue", "green")}
    assert rules("lenient", option("red", 1, en_US="Red"), option("blue", 2, fr_FR="Bleu")) == {}


def test_codes_and_labels_salesforce_cannot_store() -> None:
    assert rules("restricted", option("two\nlines", 1, en_US="x"), option("bell\x07", 2, en_US="y"),
                 option("fine code", 3, en_US="z")) == {"api_name_unwritable": ("two\nlines", "bell\x07")}
    assert rules("restricted", option("a", 1, en_US="line\rbreak")) == {"label_unwritable": ("a",)}
    assert rules("restricted", option("a;b", 1, en_US="A or B"), multi=True) == \
        {"semicolon_in_multi_select": ("a;b",)}
    assert rules("restricted", option("a;b", 1, en_US="A or B")) == {}


def test_shared_master_labels_only_matter_when_translating() -> None:
    options = (option("red", 1, en_US="Red", fr_FR="Rouge"), option("crimson", 2, en_US="Red", fr_FR="Cramoisi"))
    assert rules("restricted", *options) == {}
    assert rules("restricted", *options, mapping=TRANSLATED) == {"duplicate_master_label": ("red", "crimson")}


def test_a_global_value_set_needs_a_value() -> None:
    assert rules("shared") == {"no_values": ()}
    assert rules("restricted") == {}


def test_several_rules_are_reported_together() -> None:
    found = rules("restricted", *many_options(1001), option("X" * 300, 2000, en_US="x"), option("x" * 300, 2001))
    assert set(found) == {"too_many_values", "api_name_too_long", "api_name_collision", "missing_master_label"}
