"""The deploy package: the same bytes for the same span (twice, and in another process), and
the Metadata API XML a deploy needs (whole list, code as API name, master label, removed
options inactive, sort order, translations keyed by master label, record types)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

from akeneo_pipeline.salesforce import DeployPackage, ValueListSpan, build_package, parse_mapping
from akeneo_pipeline_tests.fixtures.salesforce import option, span, value_list

NS = "{http://soap.sforce.com/2006/04/metadata}"
MAPPING = """\
master_locale: en_US
languages: {fr_FR: fr, de_DE: de}
attributes:
  color: {field: Product2.Color__c, record_types: [Retail, {name: Outlet, label: Outlet stores}]}
  material: {field: Product2.Material__c, restricted: false, visible_lines: 6, label: Materials}
  size: {global_value_set: Sizes}
"""


def sample() -> ValueListSpan:
    return span(
        4, 11,
        value_list("color",
                   option("red", 2, en_US="Red", fr_FR="Rouge", de_DE="Rot"),
                   option("blue", 1, en_US="Blue & <Navy>", fr_FR="Bleu"),
                   option("green", 3, active=False, en_US="Green", fr_FR="Vert"),
                   option("amber", None, en_US="Amber"),
                   en_US="Colour"),
        value_list("material", option("wood", 1, en_US="Wood"), option("steel", 0, en_US="Steel"),
                   multi=True, auto_sort=True),
        value_list("size", option("s", 1, en_US="S", de_DE="K"), option("xl", 2, active=False, en_US="XL")),
        value_list("unmapped", option("x", 1, en_US="X")),
    )


def read(package: DeployPackage) -> dict[str, ElementTree.Element]:
    archive = zipfile.ZipFile(io.BytesIO(package.zip_bytes))
    return {name: ElementTree.fromstring(archive.read(name)) for name in archive.namelist()}


def values(container: ElementTree.Element, tag: str) -> list[tuple[str | None, ...]]:
    return [(v.findtext(f"{NS}fullName"), v.findtext(f"{NS}label"), v.findtext(f"{NS}isActive"),
             v.findtext(f"{NS}default")) for v in container.iter(f"{NS}{tag}")]


def field(files: dict[str, ElementTree.Element], name: str) -> ElementTree.Element:
    return next(f for f in files["objects/Product2.object"].findall(f"{NS}fields")
                if f.findtext(f"{NS}fullName") == name)


def test_the_same_span_gives_the_same_bytes_twice_and_in_another_process() -> None:
    mapping = parse_mapping(MAPPING)
    first, second = build_package(sample(), mapping, "62.0"), build_package(sample(), mapping, "62.0")
    assert first.zip_bytes == second.zip_bytes and first.file_name == second.file_name
    script = (
        "import hashlib, json, sys\n"
        "from akeneo_pipeline.salesforce import ValueListSpan, build_package, parse_mapping\n"
        "data = json.load(sys.stdin)\n"
        "span = ValueListSpan.model_validate(data['span'])\n"
        "print(hashlib.sha256(build_package(span, parse_mapping(data['mapping']), '62.0').zip_bytes).hexdigest())\n")
    # Another interpreter, another hash seed, the input read back from JSON in another order.
    dumped = sample().model_dump(mode="json")
    dumped["value_lists"].reverse()
    for value_list_ in dumped["value_lists"]:
        value_list_["options"].reverse()
    child = subprocess.run([sys.executable, "-c", script], input=json.dumps({"span": dumped, "mapping": MAPPING}),
                           capture_output=True, text=True, timeout=120, env={"PYTHONHASHSEED": "12345",
                                                                              "PATH": ""})
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == hashlib.sha256(first.zip_bytes).hexdigest()
    # A different input gives different bytes.
    relabelled = span(4, 11, *(v if v.attribute_code != "size" else
                               value_list("size", option("s", 1, en_US="Small"), option("xl", 2, active=False,
                                                                                        en_US="XL"))
                               for v in sample().value_lists))
    assert build_package(relabelled, mapping, "62.0").zip_bytes != first.zip_bytes


def test_zip_entries_are_sorted_and_stamped_the_same() -> None:
    package = build_package(sample(), parse_mapping(MAPPING), "62.0")
    infos = zipfile.ZipFile(io.BytesIO(package.zip_bytes)).infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) == [
        "globalValueSetTranslations/Sizes-de.globalValueSetTranslation", "globalValueSets/Sizes.globalValueSet",
        "objectTranslations/Product2-de.objectTranslation", "objectTranslations/Product2-fr.objectTranslation",
        "objects/Product2.object", "package.xml"]
    assert {(i.date_time, i.create_system, i.external_attr >> 16) for i in infos} == {((1980, 1, 1, 0, 0, 0), 3, 0o644)}


def test_a_field_carries_the_whole_list_in_order_with_removed_options_inactive() -> None:
    files = read(build_package(sample(), parse_mapping(MAPPING), "62.0"))
    color = field(files, "Color__c")
    assert color.findtext(f"{NS}type") == "Picklist" and color.findtext(f"{NS}label") == "Colour"
    assert color.findtext(f"{NS}valueSet/{NS}restricted") == "true"
    assert color.findtext(f"{NS}valueSet/{NS}valueSetDefinition/{NS}sorted") == "false"
    # sort_order order, an option without one last; the code is the API name, the label the en_US one.
    assert values(color, "value") == [("blue", "Blue & <Navy>", "true", "false"), ("red", "Red", "true", "false"),
                                      ("green", "Green", "false", "false"), ("amber", "Amber", "true", "false")]
    material = field(files, "Material__c")
    assert (material.findtext(f"{NS}type"), material.findtext(f"{NS}visibleLines"),
            material.findtext(f"{NS}label")) == ("MultiselectPicklist", "6", "Materials")
    assert material.findtext(f"{NS}valueSet/{NS}restricted") == "false"
    assert material.findtext(f"{NS}valueSet/{NS}valueSetDefinition/{NS}sorted") == "true"  # auto_option_sorting
    assert [v[0] for v in values(material, "value")] == ["steel", "wood"]


def test_record_types_offer_the_active_values() -> None:
    files = read(build_package(sample(), parse_mapping(MAPPING), "62.0"))
    record_types = files["objects/Product2.object"].findall(f"{NS}recordTypes")
    assert [(r.findtext(f"{NS}fullName"), r.findtext(f"{NS}label"), r.findtext(f"{NS}active"))
            for r in record_types] == [("Outlet", "Outlet stores", "true"), ("Retail", "Retail", "true")]
    for record_type in record_types:
        picklists = record_type.findall(f"{NS}picklistValues")
        assert [p.findtext(f"{NS}picklist") for p in picklists] == ["Color__c"]
        assert [v.findtext(f"{NS}fullName") for v in picklists[0].findall(f"{NS}values")] == ["blue", "red", "amber"]


def test_a_global_value_set_and_translations_keyed_by_master_label() -> None:
    files = read(build_package(sample(), parse_mapping(MAPPING), "62.0"))
    sizes = files["globalValueSets/Sizes.globalValueSet"]
    assert sizes.tag == f"{NS}GlobalValueSet" and sizes.findtext(f"{NS}masterLabel") == "size"
    assert values(sizes, "customValue") == [("s", "S", "true", "false"), ("xl", "XL", "false", "false")]

    def pairs(tree: ElementTree.Element, tag: str) -> list[tuple[str | None, str | None]]:
        return [(p.findtext(f"{NS}masterLabel"), p.findtext(f"{NS}translation")) for p in tree.iter(f"{NS}{tag}")]

    french = files["objectTranslations/Product2-fr.objectTranslation"]
    assert [f.findtext(f"{NS}name") for f in french.findall(f"{NS}fields")] == ["Color__c"]
    assert pairs(french, "picklistValues") == [("Blue & <Navy>", "Bleu"), ("Red", "Rouge"), ("Green", "Vert")]
    assert pairs(files["objectTranslations/Product2-de.objectTranslation"], "picklistValues") == [("Red", "Rot")]
    assert pairs(files["globalValueSetTranslations/Sizes-de.globalValueSetTranslation"], "valueTranslation") == \
        [("S", "K")]


def test_package_xml_lists_every_component_and_the_version() -> None:
    package = build_package(sample(), parse_mapping(MAPPING), "61.0")
    manifest = read(package)["package.xml"]
    listed = {t.findtext(f"{NS}name"): [m.text for m in t.findall(f"{NS}members")]
              for t in manifest.findall(f"{NS}types")}
    assert listed == {"CustomField": ["Product2.Color__c", "Product2.Material__c"],
                      "CustomObjectTranslation": ["Product2-de", "Product2-fr"],
                      "GlobalValueSet": ["Sizes"], "GlobalValueSetTranslation": ["Sizes-de"],
                      "RecordType": ["Product2.Outlet", "Product2.Retail"]}
    assert manifest.findtext(f"{NS}version") == "61.0"
    assert [(a.attribute_code, a.values, a.active, a.inactive) for a in package.attributes] == \
        [("color", 4, 3, 1), ("material", 2, 2, 0), ("size", 2, 1, 1)]
    assert package.attributes_of("RecordType", "Product2.Retail") == {"color"}
    assert package.attributes_of("CustomObject", "Product2") == {"color", "material"}
    assert package.attributes_of("GlobalValueSetTranslation", "Sizes-de") == {"size"}


def test_only_the_named_attributes_are_packaged() -> None:
    package = build_package(sample(), parse_mapping(MAPPING), "62.0", attributes=["size"])
    assert [a.attribute_code for a in package.attributes] == ["size"]
    assert not any(name.startswith("objects/") for name in package.files)
