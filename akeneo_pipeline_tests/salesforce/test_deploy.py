"""deploy_value_lists against the sandbox Salesforce (a real HTTP server): what reads back from
the org equals the input list, in order, inactive values inactive, translations in place;
a removal deactivates and never deletes; a failing attribute is held back while the others
deploy; positions make a rerun send nothing; without an org, a dry run writes the package."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from akeneo_pipeline.salesforce import (
    AttributeValueList,
    JsonFilePositions,
    SalesforceMapping,
    ValueListSpan,
    build_package,
    deploy_value_lists,
    parse_mapping,
)
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce
from akeneo_pipeline_tests.fixtures.salesforce import (
    OrgReader,
    many_options,
    option,
    salesforce_settings_for,
    span,
    value_list,
)

MAPPING_TEXT = """\
master_locale: en_US
languages: {fr_FR: fr, de_DE: de}
attributes:
  color: {field: Product2.Color__c, record_types: [Retail]}
  material: {field: Product2.Material__c, restricted: false}
  size: {global_value_set: Sizes}
"""


def color_v1() -> AttributeValueList:
    return value_list("color", option("red", 1, en_US="Red", fr_FR="Rouge", de_DE="Rot"),
                      option("blue", 2, en_US="Blue", fr_FR="Bleu"), option("green", 3, en_US="Green"),
                      option("black", 4, active=False, en_US="Black", fr_FR="Noir"), en_US="Colour")


def first_span() -> ValueListSpan:
    return span(1, 6, color_v1(),
                value_list("material", option("wood", 2, en_US="Wood"), option("steel", 1, en_US="Steel"),
                           multi=True, auto_sort=True),
                value_list("size", option("s", 1, en_US="S", fr_FR="P"), option("m", 2, en_US="M", fr_FR="M"),
                           option("l", 3, en_US="L", fr_FR="G")))


def expected(value_list_: AttributeValueList, mapping: SalesforceMapping) -> dict:
    """What the org must hold for `value_list_`, derived from the input alone."""
    options = sorted(value_list_.options, key=lambda o: (o.sort_order is None, o.sort_order or 0, o.code))
    translations = {language: {o.code: o.labels[locale] for o in options if locale in o.labels}
                    for locale, language in mapping.languages.items()}
    return {"values": [{"fullName": o.code, "label": o.labels[mapping.master_locale], "isActive": o.active,
                        "default": False} for o in options],
            "translations": {lang: texts for lang, texts in sorted(translations.items()) if texts}}


def read_back(reader: OrgReader, name: str, global_value_set: bool = False) -> dict:
    found = reader.global_value_set(name) if global_value_set else reader.field(name)
    return {"values": found["values"], "translations": found["translations"]}


def test_a_deploy_reads_back_equal_to_the_input(salesforce: SandboxSalesforce, org_reader: OrgReader,
                                                tmp_path: Path) -> None:
    mapping, lists = parse_mapping(MAPPING_TEXT), first_span()
    result = deploy_value_lists(lists, mapping, settings=salesforce_settings_for(salesforce),
                                positions=JsonFilePositions(tmp_path / "positions.json"))
    assert [a.attribute_code for a in result.deployed] == ["color", "material", "size"]
    assert (result.held_back, result.up_to_date, result.unmapped, len(result.deploy_ids)) == ((), (), (), 1)
    by_code = {v.attribute_code: v for v in lists.value_lists}
    assert read_back(org_reader, "Product2.Color__c") == expected(by_code["color"], mapping)
    assert read_back(org_reader, "Product2.Material__c") == expected(by_code["material"], mapping)
    assert read_back(org_reader, "Sizes", global_value_set=True) == expected(by_code["size"], mapping)
    color = org_reader.field("Product2.Color__c")
    assert (color["label"], color["type"], color["restricted"], color["sorted"]) == ("Colour", "Picklist", True, False)
    material = org_reader.field("Product2.Material__c")
    assert (material["type"], material["restricted"], material["sorted"]) == ("MultiselectPicklist", False, True)
    # The UI API answers the active values in order, for the master record type and for Retail.
    active = ["red", "blue", "green"]
    assert org_reader.picklist_values("Product2", "Color__c") == active
    assert org_reader.picklist_values("Product2", "Color__c", org_reader.record_type_id("Product2", "Retail")) == active
    assert org_reader.picklist_values("Product2", "Material__c") == ["steel", "wood"]
    positions = json.loads((tmp_path / "positions.json").read_text())["positions"]
    assert [(p["attribute_code"], p["change_id"], p["deploy_id"]) for p in positions] == \
        [(code, 6, result.deploy_ids[0]) for code in ("color", "material", "size")]


def test_a_removal_deactivates_and_a_readd_reactivates(salesforce: SandboxSalesforce, org_reader: OrgReader,
                                                       tmp_path: Path) -> None:
    mapping, settings = parse_mapping(MAPPING_TEXT), salesforce_settings_for(salesforce)
    positions = JsonFilePositions(tmp_path / "positions.json")
    deploy_value_lists(span(1, 6, color_v1()), mapping, settings=settings, positions=positions)
    # Changes 7..12: green removed, amber added, red relabelled in two locales, blue moved first.
    second = value_list("color", option("red", 2, en_US="Cherry", fr_FR="Cerise", de_DE="Rot"),
                        option("blue", 1, en_US="Blue", fr_FR="Bleu"), option("green", 3, active=False, en_US="Green"),
                        option("black", 4, active=False, en_US="Black", fr_FR="Noir"),
                        option("amber", 5, en_US="Amber", de_DE="Bernstein"), en_US="Colour")
    result = deploy_value_lists(span(7, 12, second), mapping, settings=settings, positions=positions)
    assert [a.attribute_code for a in result.deployed] == ["color"]
    assert read_back(org_reader, "Product2.Color__c") == expected(second, mapping)
    assert org_reader.picklist_values("Product2", "Color__c") == ["blue", "red", "amber"]
    assert org_reader.picklist_values("Product2", "Color__c", org_reader.record_type_id("Product2", "Retail")) == \
        ["blue", "red", "amber"]
    # Changes 13..14: green comes back. Still one value of that name, active again, nothing deleted.
    third = value_list("color", *(o if o.code != "green" else option("green", 3, en_US="Green")
                                  for o in second.options), en_US="Colour")
    deploy_value_lists(span(13, 14, third), mapping, settings=settings, positions=positions)
    values = org_reader.field("Product2.Color__c")["values"]
    assert [(v["fullName"], v["isActive"]) for v in values] == \
        [("blue", True), ("red", True), ("green", True), ("black", False), ("amber", True)]


def test_an_attribute_over_1000_values_is_held_back_while_the_others_deploy(
        salesforce: SandboxSalesforce, org_reader: OrgReader, tmp_path: Path) -> None:
    mapping = parse_mapping(MAPPING_TEXT + "  big: {field: Product2.Big__c}\n")
    settings, positions = salesforce_settings_for(salesforce), JsonFilePositions(tmp_path / "positions.json")
    lists = span(1, 9, color_v1(), value_list("big", *many_options(1001, inactive_from=1000)))
    result = deploy_value_lists(lists, mapping, settings=settings, positions=positions)
    assert [a.attribute_code for a in result.deployed] == ["color"]
    [held] = result.held_back
    assert (held.attribute_code, held.rule) == ("big", "too_many_values")
    assert "1001 values (1000 active, 1 inactive) exceed the 1,000" in held.message
    assert read_back(org_reader, "Product2.Color__c") == expected(color_v1(), mapping)
    assert org_reader.http.get("/_sandbox/fields/Product2.Big__c").status_code == 404
    assert {(a, t) for a, t in positions.read()} == {("color", "field:Product2.Color__c")}
    # Rerun: color is up to date (nothing sent), big is still held back with its reason.
    deploys = len(org_reader.deploys())
    again = deploy_value_lists(lists, mapping, settings=settings, positions=positions)
    assert (again.up_to_date, [h.rule for h in again.held_back], again.deploy_ids) == \
        (("color",), ["too_many_values"], ())
    assert len(org_reader.deploys()) == deploys


def test_what_salesforce_refuses_is_held_back_and_the_rest_deploys(
        salesforce: SandboxSalesforce, org_reader: OrgReader, tmp_path: Path) -> None:
    # The org has no Widget__c object: Salesforce fails that component, rolling the deploy back.
    mapping = parse_mapping(MAPPING_TEXT + "  widget: {field: Widget__c.Kind__c}\n")
    lists = span(1, 3, color_v1(), value_list("widget", option("a", 1, en_US="A")))
    result = deploy_value_lists(lists, mapping, settings=salesforce_settings_for(salesforce),
                                positions=JsonFilePositions(tmp_path / "positions.json"))
    assert [a.attribute_code for a in result.deployed] == ["color"]
    [held] = result.held_back
    assert (held.attribute_code, held.rule) == ("widget", "salesforce_refused")
    assert "Entity 'Widget__c' not found" in held.message and result.deploy_ids[0] in held.message
    deploys = org_reader.deploys()
    assert [d["status"] for d in deploys] == ["Failed", "Succeeded"] and len(result.deploy_ids) == 2
    assert read_back(org_reader, "Product2.Color__c") == expected(color_v1(), mapping)


def test_up_to_date_lists_are_not_sent_again_and_a_mapping_change_redeploys(
        salesforce: SandboxSalesforce, org_reader: OrgReader, tmp_path: Path) -> None:
    mapping, settings = parse_mapping(MAPPING_TEXT), salesforce_settings_for(salesforce)
    positions = JsonFilePositions(tmp_path / "positions.json")
    deploy_value_lists(first_span(), mapping, settings=settings, positions=positions)
    salesforce.requests.clear()
    again = deploy_value_lists(first_span(), mapping, settings=settings, positions=positions)
    assert (again.deployed, again.up_to_date) == ((), ("color", "material", "size"))
    assert salesforce.requests == []  # not even a token
    # An older span never rolls the org back.
    older = deploy_value_lists(span(1, 2, color_v1()), mapping, settings=settings, positions=positions)
    assert older.up_to_date == ("color",) and salesforce.requests == []
    # A new language in the mapping deploys again what it concerns (every attribute here).
    italian = parse_mapping(MAPPING_TEXT.replace("de_DE: de}", "de_DE: de, it_IT: it}"))
    changed = deploy_value_lists(first_span(), italian, settings=settings, positions=positions)
    assert [a.attribute_code for a in changed.deployed] == ["color", "material", "size"]
    assert len(org_reader.deploys()) == 2


def test_without_an_org_a_dry_run_writes_the_package_and_records_nothing(tmp_path: Path) -> None:
    mapping = parse_mapping(MAPPING_TEXT + "  big: {field: Product2.Big__c}\n")
    settings = SalesforceSettings.model_validate({"package_dir": tmp_path / "packages"})
    assert settings.dry_run
    lists = span(1, 6, *first_span().value_lists, value_list("big", *many_options(1001)))
    positions = JsonFilePositions(tmp_path / "positions.json")
    result = deploy_value_lists(lists, mapping, settings=settings, positions=positions)
    assert result.dry_run and result.package_path is not None and result.deploy_ids == ()
    assert [a.attribute_code for a in result.deployed] == ["color", "material", "size"]
    assert result.package_path.read_bytes() == \
        build_package(lists, mapping, settings.api_version, ["color", "material", "size"]).zip_bytes
    assert "package.xml" in zipfile.ZipFile(io.BytesIO(result.package_path.read_bytes())).namelist()
    report = json.loads(result.package_path.with_suffix(".json").read_text())
    assert [h["rule"] for h in report["held_back"]] == ["too_many_values"]
    assert report["deploy_with"].startswith(f"sf project deploy start --metadata-dir {result.package_path} "
                                            "--single-package")
    assert not (tmp_path / "positions.json").exists()
