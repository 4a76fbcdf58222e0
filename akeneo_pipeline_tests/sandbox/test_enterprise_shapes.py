"""The sandbox as an Enterprise or Serenity PIM, the shapes of its answers: reference entities, Asset
Manager, attributes and products with the Enterprise types (table attributes, record and asset
links), validated against the Swagger file."""

from __future__ import annotations

import json

import jsonschema
import pytest

from akeneo_pipeline_tests.fixtures.enterprise import (
    API,
    ENTITIES,
    FAMILIES,
    VENDORED,
    asset_attribute_schema,
    attribute_schema,
    ok,
    response,
    schema,
)
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI
from akeneo_pipeline_tests.fixtures.swagger import SHARED_SWAGGER

# ---- shapes -------------------------------------------------------------------------------------------

def test_vendored_responses_match_the_official_file() -> None:
    if not SHARED_SWAGGER.exists():
        pytest.skip(f"{SHARED_SWAGGER} is not available to compare against")
    official = json.loads(SHARED_SWAGGER.read_text())["paths"]
    for path, vendored in VENDORED["responses"].items():
        assert vendored == official[path]["get"]["responses"]["200"]["schema"], path


def test_reference_entity_answers_validate_against_swagger(saas: SandboxAPI) -> None:
    page = ok(saas, "reference-entities")
    jsonschema.validate(page, schema("SearchAfterPagination"))
    jsonschema.validate(page, response("/reference-entities"))
    assert [e["code"] for e in page["_embedded"]["items"]] == sorted(ENTITIES)
    for listed in page["_embedded"]["items"]:
        jsonschema.validate(listed, schema("ReferenceEntityList"))
        one = ok(saas, f"reference-entities/{listed['code']}")
        jsonschema.validate(one, schema("ReferenceEntity"))
        assert one["_links"]["image_download"]["href"].endswith(one["image"]) and "self" not in one["_links"]
        attributes = ok(saas, f"reference-entities/{listed['code']}/attributes")
        jsonschema.validate(attributes, schema("ReferenceEntityAttributeList"))
        assert [a["code"] for a in attributes][:2] == ["label", "image"]  # created with every entity
        for attribute in attributes:
            got = ok(saas, f"reference-entities/{listed['code']}/attributes/{attribute['code']}")
            jsonschema.validate(got, schema("ReferenceEntityAttribute"))
            assert got == {k: v for k, v in attribute.items() if k != "_links"}
            if attribute["type"] in ("single_option", "multiple_options"):
                options = ok(saas, f"reference-entities/{listed['code']}/attributes/{attribute['code']}/options")
                assert options and isinstance(options, list)
                for option in options:
                    jsonschema.validate(option, schema("ReferenceEntityAttributeOption"))
        records, pages = saas.walk(f"{API}/reference-entities/{listed['code']}/records")
        assert len(records) == 120 and pages == 2
        for record in records:
            jsonschema.validate(record, schema("ReferenceEntityRecordList"))
            assert record["_links"]["self"]["href"].endswith(f"/records/{record['code']}")
        one_record = ok(saas, f"reference-entities/{listed['code']}/records/{records[0]['code']}")
        jsonschema.validate(one_record, schema("ReferenceEntityRecord"))
        assert "_links" not in one_record and one_record["code"] == records[0]["code"]


def test_asset_manager_answers_validate_against_swagger(saas: SandboxAPI) -> None:
    page = ok(saas, "asset-families")
    jsonschema.validate(page, response("/asset-families"))
    assert [f["code"] for f in page["_embedded"]["items"]] == sorted(FAMILIES)
    for listed in page["_embedded"]["items"]:
        jsonschema.validate(listed, schema("AssetFamilyList"))
        jsonschema.validate(ok(saas, f"asset-families/{listed['code']}"), response("/asset-families/{code}"))
        attributes = ok(saas, f"asset-families/{listed['code']}/attributes")
        for attribute in attributes:
            jsonschema.validate(attribute, asset_attribute_schema())
            assert ("media_type" in attribute) == (attribute["type"] in ("media_file", "media_link"))
            got = ok(saas, f"asset-families/{listed['code']}/attributes/{attribute['code']}")
            jsonschema.validate(got, asset_attribute_schema(
                response("/asset-families/{asset_family_code}/attributes/{code}")))
            if attribute["type"] in ("single_option", "multiple_options"):
                options = ok(saas, f"asset-families/{listed['code']}/attributes/{attribute['code']}/options")
                jsonschema.validate(options, schema("AssetAttributeOptionList"))
                jsonschema.validate(
                    ok(saas, f"asset-families/{listed['code']}/attributes/{attribute['code']}/options/"
                             f"{options[0]['code']}"),
                    response("/asset-families/{asset_family_code}/attributes/{attribute_code}/options/{code}"))
        first = ok(saas, f"asset-families/{listed['code']}/assets")
        jsonschema.validate(first, response("/asset-families/{asset_family_code}/assets"))
        for asset in first["_embedded"]["items"]:
            jsonschema.validate(asset, schema("AssetList"))
            assert asset["asset_family_code"] == listed["code"]
        one = ok(saas, f"asset-families/{listed['code']}/assets/{first['_embedded']['items'][0]['code']}")
        jsonschema.validate(one, response("/asset-families/{asset_family_code}/assets/{code}"))


def test_media_values_are_codes_and_links_only_and_saas_adds_attribute_type(ee: SandboxAPI, saas: SandboxAPI) -> None:
    for api, is_saas in ((ee, False), (saas, True)):
        asset = ok(api, "asset-families/packshots/assets")["_embedded"]["items"][0]
        media = asset["values"]["media"][0]
        assert isinstance(media["data"], str) and media["data"].endswith(".jpg")
        assert ("attribute_type" in media) is is_saas and ("_links" in media) is is_saas
        if is_saas:
            download = f"{api.server.base_url}{API}/asset-media-files/{media['data']}"
            assert media["_links"]["download"]["href"] == download
        record = ok(api, "reference-entities/brands/records/acme")  # image values link on every version
        image = record["values"]["image"][0]
        assert image["_links"]["download"]["href"].endswith(f"/reference-entities-media-files/{image['data']}")


def test_attributes_and_products_validate_with_enterprise_types(ee: SandboxAPI) -> None:
    items, _ = ee.walk(f"{API}/attributes", limit=100)
    types = {a["code"]: a["type"] for a in items}
    assert {types[c] for c in ("brand_record", "material_records", "packshot_assets", "composition")} == {
        "akeneo_reference_entity", "akeneo_reference_entity_collection", "pim_catalog_asset_collection",
        "pim_catalog_table"}
    for item in items:
        jsonschema.validate(item, attribute_schema())
    by_code = {a["code"]: a for a in items}
    assert by_code["brand_record"]["reference_data_name"] == "brands"
    assert by_code["packshot_assets"]["reference_data_name"] == "packshots"
    products, _ = ee.walk(f"{API}/products-uuid", limit=100)
    for product in products:
        jsonschema.validate(product, schema("ProductUuid"))
    families = {f["code"]: f["attributes"] for f in ee.server.catalog.items("families")}
    assert "composition" in families["home"] and "composition" not in families["clothing"]


# ---- table attributes and product values --------------------------------------------------------------

def test_table_select_options_only_when_asked(ee: SandboxAPI) -> None:
    plain = ok(ee, "attributes/composition")
    assert [c["code"] for c in plain["table_configuration"]] == ["material", "percentage", "origin", "recycled"]
    assert plain["table_configuration"][0]["data_type"] == "select"
    assert not any("options" in c for c in plain["table_configuration"])
    asked = ok(ee, "attributes/composition", with_table_select_options="true")
    columns = {c["code"]: c for c in asked["table_configuration"]}
    assert [o["code"] for o in columns["material"]["options"]][:2] == ["cotton", "wool"]
    assert "options" not in columns["percentage"] and "options" in columns["origin"]
    options = ee.server.catalog.enterprise.table_select_options("composition", "material")
    assert columns["material"]["options"] == options
    listed, _ = ee.walk(f"{API}/attributes", limit=5, with_table_select_options="true")
    assert {a["code"]: a for a in listed}["care_instructions"]["table_configuration"][0]["options"]
    jsonschema.validate(asked, attribute_schema())


def test_some_products_link_records_and_assets_and_hold_tables(ee: SandboxAPI) -> None:
    catalog = ee.server.catalog
    products = list(catalog.iter_products())
    brands = set(catalog.enterprise.reference_entities["brands"].initial_codes)
    materials = set(catalog.enterprise.reference_entities["materials"].initial_codes)
    packshots = set(catalog.enterprise.asset_families["packshots"].initial_codes)
    linked = [p for p in products if "brand_record" in p["values"]]
    assert 0 < len(linked) < len(products)
    assert all(p["values"]["brand_record"][0]["data"] in brands for p in linked)
    assert all(set(p["values"]["material_records"][0]["data"]) <= materials
               for p in products if "material_records" in p["values"])
    assert all(set(p["values"]["packshot_assets"][0]["data"]) <= packshots
               for p in products if "packshot_assets" in p["values"])
    tables = [v["data"] for p in products for v in p["values"].get("composition", [])]
    assert tables and all(isinstance(rows, list) and rows and all("material" in row for row in rows) for rows in tables)
    assert not any("composition" in p["values"] for p in products if p["parent"])  # simple products only
    got = ok(ee, f"products-uuid/{linked[0]['uuid']}")
    assert got["values"]["brand_record"] == linked[0]["values"]["brand_record"]
