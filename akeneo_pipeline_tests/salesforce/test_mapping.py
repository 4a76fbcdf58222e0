"""The mapping file: a valid one reads into targets; an invalid one fails with one problem per
offending line, each naming the line a person must fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from akeneo_pipeline.salesforce import MappingError, load_mapping, parse_mapping

GOOD = """\
version: 1
master_locale: en_US
languages:
  fr_FR: fr
  de_DE: de
attributes:
  color:
    field: Product2.Color__c
    label: Colour
    record_types: [Retail, {name: Wholesale, label: Wholesale buyers}]
  material:
    field: Product2.Material__c
    restricted: false
    missing_master_label: use_code
  size:
    global_value_set: Sizes
"""


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(MappingError) as caught:
        parse_mapping(text, "mapping.yaml")
    assert "mapping.yaml" in str(caught.value) and "SALESFORCE_MAPPING_FILE" in str(caught.value)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def test_a_valid_mapping_reads_into_targets() -> None:
    mapping = parse_mapping(GOOD)
    color, material, size = (mapping.attributes[c] for c in ("color", "material", "size"))
    assert (color.object_name, color.field_name, color.is_restricted, color.label) == \
        ("Product2", "Color__c", True, "Colour")
    assert [(r.name, r.display_label) for r in color.record_types] == \
        [("Retail", "Retail"), ("Wholesale", "Wholesale buyers")]
    assert material.is_restricted is False and mapping.label_policy("material") == "use_code"
    assert mapping.label_policy("color") == "hold_back"
    assert size.target_key == "global_value_set:Sizes" and size.is_restricted
    assert mapping.languages == {"fr_FR": "fr", "de_DE": "de"}


def test_the_digest_follows_what_a_deploy_depends_on() -> None:
    mapping = parse_mapping(GOOD)
    assert parse_mapping(GOOD).digest("color") == mapping.digest("color")
    with_language = parse_mapping(GOOD.replace("  de_DE: de\n", "  de_DE: de\n  it_IT: it\n"))
    assert with_language.digest("color") != mapping.digest("color")
    other_record_type = parse_mapping(GOOD.replace("[Retail,", "[Outlet,"))
    assert other_record_type.digest("color") != mapping.digest("color")
    assert other_record_type.digest("size") == mapping.digest("size")


def test_shape_errors_name_their_lines() -> None:
    text = """\
master_locale: en_US
attributes:
  color:
    field: Product2.Color
    restricted: maybe
    colour: red
  size:
    global_value_set: "Sizes!"
  brand:
    field: Account.Brand__c
    record_types: [Retail, "Two__Underscores"]
"""
    assert problems(text) == [
        (4, "attributes.color.field",
         "'Product2.Color' is not Object.Field__c (a custom field's API name, e.g. Product2.Color__c)"),
        (5, "attributes.color.restricted",
         "Input should be a valid boolean, unable to interpret input (got 'maybe')"),
        (6, "attributes.color", "unknown key 'colour'"),
        (8, "attributes.size.global_value_set",
         "'Sizes!' is not a global value set name (letters, digits and underscores)"),
        (11, "attributes.brand.record_types.1.name",
         "record type 'Two__Underscores' is not a developer name (letters, digits, single underscores)"),
    ]


def test_rules_across_keys_name_the_key_that_breaks_them() -> None:
    text = """\
master_locale: en_US
languages:
  fr_FR: fr
  fr_BE: fr
  en_US: en
attributes:
  color:
    field: Product2.Color__c
    record_types: [Retail]
  colour:
    field: product2.color__c
  size:
    global_value_set: Sizes
    record_types: [Retail]
  brand: {}
  both:
    field: Product2.Both__c
    global_value_set: Both
  finish:
    field: Product2.Finish__c
    record_types: [{name: Retail, label: Retail stores}, Outlet, outlet]
"""
    found = problems(text)
    assert [line for line, _, _ in found] == [4, 5, 11, 14, 15, 18, 21, 21]
    messages = dict(((line, path), message) for line, path, message in found)
    assert "fr_BE and fr_FR both map to Salesforce language fr" in messages[(4, "languages.fr_BE")]
    assert "en_US is the master_locale" in messages[(5, "languages.en_US")]
    assert "already the target of attribute color" in messages[(11, "attributes.colour.field")]
    assert "record_types applies to a field" in messages[(14, "attributes.size.record_types")]
    assert "needs field: Object.Field__c or global_value_set: Name" in messages[(15, "attributes.brand")]
    assert "not both" in messages[(18, "attributes.both.global_value_set")]
    assert "label 'Retail stores' here and 'Retail' under attribute color" in \
        messages[(21, "attributes.finish.record_types.0")]
    assert "listed twice" in messages[(21, "attributes.finish.record_types.2")]


def test_a_key_written_twice_is_an_error_not_last_one_wins() -> None:
    text = "master_locale: en_US\nattributes:\n  color:\n    field: A.B__c\n  color:\n    field: A.C__c\n"
    assert problems(text) == [(5, "attributes.color", "'color' is written twice (first on line 3)")]


def test_missing_keys_and_bad_values_at_the_top() -> None:
    assert problems("attributes:\n  color: {field: A.B__c}\n") == [(1, "", "master_locale is required")]
    assert problems("master_locale: english\nattributes: {}\n") == [
        (1, "master_locale", "'english' is not an Akeneo locale code such as en_US"),
        (2, "attributes", "Dictionary should have at least 1 item after validation, not 0")]
    assert problems("version: 2\nmaster_locale: en_US\nattributes: {c: {field: A.B__c}}\n")[0][:2] == (1, "version")


def test_not_yaml_or_not_a_mapping() -> None:
    assert problems("master_locale: en_US\nattributes: [\n") == [
        (3, "", "not valid YAML: while parsing a flow node expected the node content, but found '<stream end>'")]
    assert problems("") == [(None, "", "is empty: it needs master_locale and attributes")]
    assert problems("- color\n") == [(1, "", "must be a mapping (key: value lines) at the top")]


def test_load_mapping_reads_the_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "salesforce-mapping.yaml"
    path.write_text(GOOD)
    assert set(load_mapping(path).attributes) == {"color", "material", "size"}
    with pytest.raises(MappingError, match=r"(?s)missing.yaml has 1 problem.*cannot be read \(No such file"):
        load_mapping(tmp_path / "missing.yaml")
