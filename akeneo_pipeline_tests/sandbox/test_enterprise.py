"""The sandbox as an Enterprise, Growth and Community PIM: reference entities, Asset Manager, table
attributes, at the HTTP level, against the Swagger file and the pagination and filter docs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

import akeneo_pipeline.sandbox
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sandbox.__main__ import parser
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.enterprise.catalog import strip_links
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI, app_connect, exchange
from akeneo_pipeline_tests.fixtures.swagger import SHARED_SWAGGER, loosen

Factory = Callable[..., SandboxServer]
API = "/api/rest/v1"
VENDORED = json.loads((Path(akeneo_pipeline.sandbox.__file__).parent / "swagger_definitions.json").read_text())
ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z
ENTITIES = ("brands", "designers", "materials")
FAMILIES = ("packshots", "user_guides")


def schema(name: str) -> dict[str, Any]:
    loosened: dict[str, Any] = loosen(VENDORED["definitions"][name])
    return loosened


def response(path: str) -> dict[str, Any]:
    loosened: dict[str, Any] = loosen(VENDORED["responses"][f"{API}{path}"])
    return loosened


def attribute_schema() -> dict[str, Any]:
    """The Attribute definition, with `pim_catalog_table` in its `type` enum: the enum leaves it out while the
    same definition documents `table_configuration` "Required only for `pim_catalog_table` attribute type"
    (and docs/concepts_catalog-structure.md lists the type)."""
    definition = schema("Attribute")
    definition["properties"]["type"]["enum"].append("pim_catalog_table")
    return definition


def asset_attribute_schema(definition: dict[str, Any] | None = None) -> dict[str, Any]:
    """An asset attribute's schema (AssetAttributeList's items by default) with `media_type` required only
    where its own description says so ("Only required for `media_link` and `media_file` attribute types";
    the concepts page's text, option and number examples have none)."""
    items = definition if definition is not None else schema("AssetAttributeList")["items"]
    items["required"] = [r for r in items["required"] if r != "media_type"]
    return items


def api_for(factory: Factory, **config: Any) -> Iterator[SandboxAPI]:
    api = SandboxAPI(factory(**{"products": 300, "seed": 1, "anchor": ANCHOR, **config}))
    yield api
    api.close()


@pytest.fixture
def ee(sandbox_factory: Factory) -> Iterator[SandboxAPI]:
    yield from api_for(sandbox_factory, edition="enterprise")


@pytest.fixture
def saas(sandbox_factory: Factory) -> Iterator[SandboxAPI]:
    yield from api_for(sandbox_factory, edition="serenity")


def ok(api: SandboxAPI, path: str, **params: Any) -> Any:
    response_ = api.get(f"{API}/{path}", **params)
    assert response_.status_code == 200, response_.text
    return response_.json()


def post(api: SandboxAPI, route: str, body: dict[str, Any]) -> httpx.Response:
    return api.http.post(f"/_sandbox/{route}", json=body)


def iso_z(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp())


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


# ---- ground truth, paging ---------------------------------------------------------------------------

def test_every_list_equals_the_ground_truth(ee: SandboxAPI) -> None:
    truth = ee.server.catalog.enterprise
    assert strip_links(ok(ee, "reference-entities")["_embedded"]["items"]) == truth.reference_entity_items()
    for code in ENTITIES:
        assert strip_links(ok(ee, f"reference-entities/{code}/attributes")) == truth.reference_entity_attributes(code)
        for attribute in truth.reference_entity_attributes(code):
            if attribute["type"] in ("single_option", "multiple_options"):
                assert ok(ee, f"reference-entities/{code}/attributes/{attribute['code']}/options") == \
                    truth.reference_entity_attribute_options(code, attribute["code"])
        assert strip_links(ee.walk(f"{API}/reference-entities/{code}/records")[0]) == truth.records(code)
    assert strip_links(ok(ee, "asset-families")["_embedded"]["items"]) == truth.asset_family_items()
    for code in FAMILIES:
        assert strip_links(ok(ee, f"asset-families/{code}/attributes")) == truth.asset_family_attributes(code)
        assert strip_links(ee.walk(f"{API}/asset-families/{code}/assets")[0]) == truth.assets(code)
    assert ok(ee, "asset-families/packshots/attributes/view/options") == \
        truth.asset_family_attribute_options("packshots", "view")


def test_records_page_by_search_after_only_in_code_order_with_opaque_cursors(ee: SandboxAPI) -> None:
    base = ee.server.base_url
    first = ok(ee, "reference-entities/brands/records", limit=7, page=3, pagination_type="page")
    items = first["_embedded"]["items"]
    assert len(items) == 100 and "current_page" not in first and "items_count" not in first  # limit/page ignored
    assert set(first["_links"]) == {"self", "first", "next"}
    assert first["_links"]["first"]["href"] == f"{base}{API}/reference-entities/brands/records"
    nxt = first["_links"]["next"]["href"]
    assert items[-1]["code"] not in nxt and "limit" not in nxt and "page=" not in nxt
    second = ee.get(nxt).json()
    assert "next" not in second["_links"] and len(second["_embedded"]["items"]) == 20
    codes = [r["code"] for r in items + second["_embedded"]["items"]]
    assert codes == sorted(codes) == ee.server.catalog.enterprise.reference_entities["brands"].records.order
    assert ee.get(f"{API}/reference-entities/brands/records", search_after="acme").status_code == 422


def test_query_parameters_ride_along_the_next_links_and_filter_values(ee: SandboxAPI) -> None:
    records, pages = ee.walk(f"{API}/reference-entities/designers/records", channel="mobile", locales="en_US")
    assert pages == 2 and len(records) == 120
    values = [v for r in records for vs in r["values"].values() for v in vs]
    assert values and all(v["channel"] in (None, "mobile") and v["locale"] in (None, "en_US") for v in values)
    full = ee.server.catalog.enterprise.records("designers")
    assert any(v["channel"] == "ecommerce" for r in full for v in r["values"].get("bio", []))
    first = ok(ee, "reference-entities/designers/records", channel="mobile", locales="en_US")
    assert "channel=mobile" in first["_links"]["next"]["href"] and "locales=en_US" in first["_links"]["next"]["href"]


# ---- filters ------------------------------------------------------------------------------------------

def search(**conditions: Any) -> str:
    return json.dumps(conditions)


@pytest.mark.parametrize("path,kind", [("reference-entities/brands/records", "records"),
                                        ("asset-families/packshots/assets", "assets")])
def test_updated_filter_reads_iso_8601_instants(ee: SandboxAPI, path: str, kind: str) -> None:
    catalog = ee.server.catalog.enterprise
    truth = catalog.records("brands") if kind == "records" else catalog.assets("packshots")
    stamps = sorted(epoch(i["updated"]) for i in truth)
    cut = stamps[len(stamps) // 2]
    after, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": iso_z(cut)}]))
    assert sorted(i["code"] for i in after) == sorted(i["code"] for i in truth if epoch(i["updated"]) > cut)
    shifted = datetime.fromtimestamp(cut, timezone(timedelta(hours=2))).isoformat()  # the same instant at +02:00
    same, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": shifted}]))
    assert [i["code"] for i in same] == [i["code"] for i in after]
    lo, hi = stamps[10], stamps[40]
    window, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": "BETWEEN",
                                                                 "value": [iso_z(lo), iso_z(hi)]}]))
    assert sorted(i["code"] for i in window) == sorted(i["code"] for i in truth if lo <= epoch(i["updated"]) <= hi)
    both, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": iso_z(lo)},
                                                              {"operator": "<", "value": iso_z(hi)}]))
    assert sorted(i["code"] for i in both) == sorted(i["code"] for i in truth if lo < epoch(i["updated"]) < hi)
    picked = [truth[3]["code"], truth[7]["code"]]
    assert [i["code"] for i in ee.walk(f"{API}/{path}", search=search(code=[{"operator": "IN", "value": picked}]))[0]] \
        == sorted(picked)


@pytest.mark.parametrize("value,status", [
    ({"updated": [{"operator": ">", "value": "2025-12-01 00:00:00"}]}, 422),  # the products' format
    ({"updated": [{"operator": ">", "value": "2025-12-01T00:00:00"}]}, 422),  # no offset
    ({"updated": [{"operator": "=", "value": "2025-12-01T00:00:00Z"}]}, 422),
    ({"updated": {"operator": ">", "value": "2025-12-01T00:00:00Z"}}, 422),  # not a list
    ({"family": [{"operator": "IN", "value": ["x"]}]}, 422),
    ({"complete": {"operator": "=", "value": True, "channel": "ecommerce", "locales": ["en_US"]}}, 422),
])
def test_bad_record_searches_are_refused(ee: SandboxAPI, value: dict[str, Any], status: int) -> None:
    answer = ee.get(f"{API}/reference-entities/brands/records", search=json.dumps(value))
    assert answer.status_code == status and answer.json()["code"] == status
    assert ee.get(f"{API}/reference-entities/brands/records", search="{nope").status_code == 400


def test_akeneo_6_filters_records_with_greater_than_only(sandbox_factory: Factory) -> None:
    api = SandboxAPI(sandbox_factory(products=20, edition="enterprise", akeneo_version=6, anchor=ANCHOR))
    between = search(updated=[{"operator": "BETWEEN", "value": ["2025-01-01T00:00:00Z", "2025-12-01T00:00:00Z"]}])
    assert api.get(f"{API}/reference-entities/brands/records", search=between).status_code == 422
    assert api.get(f"{API}/asset-families/packshots/assets", search=between).status_code == 200  # assets: 6.0
    code_in = search(code=[{"operator": "IN", "value": ["acme"]}])
    assert api.get(f"{API}/reference-entities/brands/records", search=code_in).status_code == 422  # 7.0
    greater = search(updated=[{"operator": ">", "value": "2025-01-01T00:00:00Z"}])
    assert api.get(f"{API}/reference-entities/brands/records", search=greater).status_code == 200
    assert "options" not in json.dumps(ok(api, "attributes/composition", with_table_select_options="true"))
    api.close()


# ---- 404s and editions --------------------------------------------------------------------------------

@pytest.mark.parametrize("path,message", [
    ("reference-entities/nope", 'Reference entity "nope" does not exist.'),
    ("reference-entities/nope/records", 'Reference entity "nope" does not exist.'),
    ("reference-entities/brands/attributes/nope", None),
    ("reference-entities/brands/attributes/founded/options", None),
    ("reference-entities/brands/attributes/country/options/nope", None),
    ("reference-entities/brands/records/nope", None),
    ("asset-families/nope/assets", 'Asset family "nope" does not exist.'),
    ("asset-families/packshots/assets/nope", None),
    ("asset-families/packshots/attributes/nope", None),
    ("reference-entities/brands/whatever", "No route found for 'GET /api/rest/v1/reference-entities/brands/whatever'"),
])
def test_unknown_codes_answer_404(ee: SandboxAPI, path: str, message: str | None) -> None:
    answer = ee.get(f"{API}/{path}")
    assert answer.status_code == 404 and answer.json()["code"] == 404
    if message:
        assert answer.json()["message"] == message


@pytest.mark.parametrize("edition,has_tables", [("community", False), ("growth", True)])
def test_editions_without_reference_entities_or_assets(sandbox_factory: Factory, edition: str,
                                                        has_tables: bool) -> None:
    api = SandboxAPI(sandbox_factory(products=50, edition=edition))
    for path in ("reference-entities", "reference-entities/brands/records", "asset-families",
                 "asset-families/packshots/assets/x"):
        answer = api.get(f"{API}/{path}")
        assert answer.status_code == 404 and answer.json()["message"] == f"No route found for 'GET {API}/{path}'"
    routes = httpx.get(f"{api.server.base_url}{API}").json()["routes"]
    assert not any("/reference-entities" in r["route"] or "/asset-families" in r["route"] for r in routes.values())
    types = {a["type"] for a in api.walk(f"{API}/attributes", limit=100)[0]}
    assert not types & {"akeneo_reference_entity", "akeneo_reference_entity_collection", "pim_catalog_asset_collection"}
    assert ("pim_catalog_table" in types) is has_tables
    info = httpx.get(f"{api.server.base_url}{API}/system-information").json()
    assert info["edition"] == {"community": "CE", "growth": "GE"}[edition]
    refused = post(api, "reference-entity-records/add", {"reference_entity": "brands", "code": "x"})
    assert refused.status_code == 422 and f"{edition} edition" in refused.json()["message"]
    api.close()


def test_enterprise_route_list_and_system_information(ee: SandboxAPI, saas: SandboxAPI) -> None:
    routes = httpx.get(f"{ee.server.base_url}{API}").json()["routes"]
    assert routes["akeneo_reference_entities_records_rest_connector_get"] == {
        "route": f"{API}/reference-entities/{{referenceEntityIdentifier}}/records", "methods": ["GET"]}
    assert routes["akeneo_asset_manager_assets_rest_connector_get"]["route"] == \
        f"{API}/asset-families/{{assetFamilyIdentifier}}/assets"
    assert routes["akeneo_reference_entities_reference_entities_rest_connector_get"]["methods"] == []
    assert "pim_api_product_uuid_list" in routes
    assert httpx.get(f"{ee.server.base_url}{API}/system-information").json() == {"version": "7.0.0", "edition": "EE"}
    assert httpx.get(f"{saas.server.base_url}{API}/system-information").json()["edition"] == "Serenity"
    with pytest.raises(ValueError, match="akeneo_version must be 7"):
        SandboxConfig(edition="serenity", akeneo_version=6)
    with pytest.raises(ValueError, match="edition must be one of"):
        SandboxConfig(edition="pro")


@pytest.mark.parametrize("edition", ["enterprise", "community"])
def test_app_tokens_need_the_enterprise_scopes_where_the_routes_exist(sandbox_factory: Factory, edition: str) -> None:
    server = sandbox_factory(products=10, edition=edition)
    _, query = app_connect(server, scope="read_products read_reference_entities")
    token = exchange(server, query["code"]).json()["access_token"]

    def status(path: str) -> int:
        return httpx.get(f"{server.base_url}{API}/{path}", headers={"Authorization": f"Bearer {token}"}).status_code

    if edition == "community":  # no such route: 404 whatever the scopes
        assert status("reference-entities") == status("asset-families") == 404
        return
    assert status("reference-entities") == status("reference-entities/brands/attributes") == 200
    forbidden = httpx.get(f"{server.base_url}{API}/reference-entities/brands/records",
                          headers={"Authorization": f"Bearer {token}"})
    assert forbidden.status_code == 403 and "read_reference_entity_records" in forbidden.json()["message"]
    assert status("asset-families") == 403 and status("asset-families/packshots/assets") == 403


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


# ---- edits ---------------------------------------------------------------------------------------------

def test_records_added_relabelled_edited_and_removed_are_stamped_and_served(ee: SandboxAPI) -> None:
    catalog = ee.server.catalog
    generation = catalog.generation
    before = catalog.now()
    added = post(ee, "reference-entity-records/add",
                 {"reference_entity": "brands", "code": "zephyr", "labels": {"en_US": "Zephyr", "fr_FR": "Zéphyr"}})
    assert added.status_code == 200, added.text
    assert catalog.generation == generation + 1
    got = ok(ee, "reference-entities/brands/records/zephyr")
    assert got["values"]["label"] == [{"locale": "en_US", "channel": None, "data": "Zephyr"},
                                      {"locale": "fr_FR", "channel": None, "data": "Zéphyr"}]
    assert epoch(got["created"]) == epoch(got["updated"]) >= before
    since = search(updated=[{"operator": ">", "value": iso_z(before - 1)}])
    assert [r["code"] for r in ee.walk(f"{API}/reference-entities/brands/records", search=since)[0]] == ["zephyr"]

    assert post(ee, "reference-entity-records/relabel", {"reference_entity": "brands", "code": "acme",
                                                         "locale": "de_DE", "label": "Akme"}).status_code == 200
    acme = ok(ee, "reference-entities/brands/records/acme")
    assert {"locale": "de_DE", "channel": None, "data": "Akme"} in acme["values"]["label"]
    assert epoch(acme["updated"]) >= before
    edited = post(ee, "reference-entity-records/update", {"reference_entity": "materials", "n": 3}).json()["codes"]
    changed, _ = ee.walk(f"{API}/reference-entities/materials/records", search=since)
    assert sorted(r["code"] for r in changed) == sorted(edited) and len(edited) == 3

    removed = post(ee, "reference-entity-records/remove", {"reference_entity": "brands", "code": "acme"})
    assert removed.status_code == 200
    assert ee.get(f"{API}/reference-entities/brands/records/acme").status_code == 404
    codes = [r["code"] for r in ee.walk(f"{API}/reference-entities/brands/records")[0]]
    assert "acme" not in codes and "zephyr" in codes and len(codes) == 120
    for bad in ({"reference_entity": "brands", "code": "zephyr"}, {"reference_entity": "nope", "code": "x"},
                {"reference_entity": "brands", "code": "no spaces"}):
        assert post(ee, "reference-entity-records/add", bad).status_code == 422


def test_assets_added_and_edited_are_read_incrementally(ee: SandboxAPI) -> None:
    before = ee.server.catalog.now()
    added = post(ee, "assets/add", {"asset_family": "packshots", "code": "packshot_new_0"}).json()
    assert added["values"]["media"][0]["data"].endswith(".jpg")
    edited = post(ee, "assets/update", {"asset_family": "packshots", "n": 2}).json()["codes"]
    since = search(updated=[{"operator": ">", "value": iso_z(before - 1)}])
    got, _ = ee.walk(f"{API}/asset-families/packshots/assets", search=since)
    assert sorted(a["code"] for a in got) == sorted(edited + ["packshot_new_0"])
    assert all(epoch(a["updated"]) >= before for a in got)
    assert post(ee, "assets/remove", {"asset_family": "packshots", "code": "packshot_new_0"}).status_code == 200
    assert ee.get(f"{API}/asset-families/packshots/assets/packshot_new_0").status_code == 404


def test_table_select_options_added_relabelled_and_removed(ee: SandboxAPI) -> None:
    catalog = ee.server.catalog
    stamp = epoch(ok(ee, "attributes/composition")["updated"])

    def material_options() -> dict[str, dict[str, str]]:
        table = ok(ee, "attributes/composition", with_table_select_options="true")["table_configuration"]
        return {o["code"]: o["labels"] for o in table[0]["options"]}

    body = {"attribute": "composition", "column": "material", "code": "hemp", "labels": {"en_US": "Hemp"}}
    assert post(ee, "table-select-options/add", body).status_code == 200
    assert material_options()["hemp"] == {"en_US": "Hemp"}
    assert epoch(ok(ee, "attributes/composition")["updated"]) > stamp
    assert post(ee, "table-select-options/add", dict(body, code="HEMP")).status_code == 422  # case-insensitive codes
    assert post(ee, "table-select-options/relabel", {"attribute": "composition", "column": "material", "code": "hemp",
                                                     "locale": "fr_FR", "label": "Chanvre"}).status_code == 200
    assert material_options()["hemp"] == {"en_US": "Hemp", "fr_FR": "Chanvre"}
    assert post(ee, "table-select-options/remove", {"attribute": "composition", "column": "material",
                                                    "code": "cotton"}).status_code == 200
    assert "cotton" not in material_options()
    assert catalog.enterprise.table_select_options("composition", "material")[-1]["code"] == "hemp"
    for bad in ({"attribute": "composition", "column": "percentage", "code": "x"},
                {"attribute": "color", "column": "material", "code": "x"}):
        assert post(ee, "table-select-options/add", bad).status_code == 422


def test_records_removed_between_two_pages_are_neither_served_twice_nor_invented(ee: SandboxAPI) -> None:
    path = f"{API}/reference-entities/brands/records"
    ee.server.schedule_mutation(path, 1, "reference-entity-records/remove",
                                {"reference_entity": "brands", "code": "acme"})  # on page 1, already read
    ee.server.schedule_mutation(path, 1, "reference-entity-records/remove",
                                {"reference_entity": "brands", "code": "vento"})  # on page 2, not yet read
    codes = [r["code"] for r in ee.walk(path)[0]]
    assert len(codes) == len(set(codes)) == 119 and "acme" in codes and "vento" not in codes
    assert ee.get(f"{path}/acme").status_code == 404


# ---- knobs and scale ----------------------------------------------------------------------------------

def test_cli_flags_reach_the_config() -> None:
    args = vars(parser().parse_args(["serve", "--edition", "enterprise", "--reference-entity-records", "500",
                                     "--assets-per-family", "7"]))
    assert (args["edition"], args["reference_entity_records"], args["assets_per_family"]) == ("enterprise", 500, 7)
    assert vars(parser().parse_args(["serve"]))["edition"] == "community"


def test_the_edition_is_fixed_when_the_catalog_is_built(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=5)
    with pytest.raises(ValueError, match="only apply when the catalog is built"):
        server.configure(edition="enterprise")


def test_enterprise_data_is_generated_eagerly_but_products_stay_lazy(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=200_000, edition="enterprise", reference_entity_records=5_000,
                             assets_per_family=2_000)
    catalog = server.catalog
    assert catalog.generated_products == 0
    assert len(catalog.enterprise.reference_entities["brands"].records) == 5_000
    api = SandboxAPI(server)
    records, pages = api.walk(f"{API}/reference-entities/materials/records")
    assert len(records) == 5_000 and pages == 51 and catalog.generated_products == 0
    api.close()
