"""The sandbox's REST API against the official Swagger definitions and the pagination rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import akeneo_pipeline.sandbox
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI
from akeneo_pipeline_tests.fixtures.swagger import SHARED_SWAGGER, loosen

# The definitions the sandbox must satisfy, vendored so a clean clone can run these tests.
VENDORED = Path(akeneo_pipeline.sandbox.__file__).parent / "swagger_definitions.json"
# endpoint path -> Swagger definition of its items
ENDPOINTS = {
    "channels": "Channel", "locales": "Locale", "currencies": "Currency", "attribute-groups": "AttributeGroup",
    "attributes": "Attribute", "attributes/color/options": "AttributeOption", "families": "Family",
    "families/clothing/variants": "FamilyVariantRead", "categories": "Category",
    "association-types": "AssociationType", "products-uuid": "ProductUuid", "product-models": "ProductModel",
}


@pytest.fixture(scope="module")
def definitions() -> dict[str, Any]:
    return {name: loosen(d) for name, d in json.loads(VENDORED.read_text())["definitions"].items()}


def test_vendored_definitions_match_the_official_file() -> None:
    if not SHARED_SWAGGER.exists():
        pytest.skip(f"{SHARED_SWAGGER} is not available to compare against")
    official = json.loads(SHARED_SWAGGER.read_text())["definitions"]
    vendored = json.loads(VENDORED.read_text())["definitions"]
    assert vendored == {name: official[name] for name in vendored}


def test_loosened_schema_still_rejects_wrong_shapes(definitions: dict[str, Any]) -> None:
    jsonschema.validate({"uuid": "x", "enabled": True, "family": None, "values": {"sku": [{"data": 1}]}},
                        definitions["ProductUuid"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"uuid": "x", "enabled": "yes"}, definitions["ProductUuid"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"uuid": "x", "values": {"sku": {"data": 1}}}, definitions["ProductUuid"])


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_list_items_validate_against_swagger(sandbox_api: SandboxAPI, definitions: dict[str, Any], path: str) -> None:
    items, _ = sandbox_api.walk(f"/api/rest/v1/{path}", limit=100)
    assert items, f"{path} returned no items"
    validator = jsonschema.Draft4Validator(definitions[ENDPOINTS[path]])
    for item in items:
        validator.validate(item)
        assert item["_links"]["self"]["href"].startswith(sandbox_api.server.base_url + "/api/rest/v1/")


def test_measurement_families_is_a_plain_array_that_validates(
    sandbox_api: SandboxAPI, definitions: dict[str, Any]
) -> None:
    body = sandbox_api.get("/api/rest/v1/measurement-families").json()
    assert isinstance(body, list) and {f["code"] for f in body} == {"Weight", "Length"}
    for item in body:
        jsonschema.validate(item, definitions["MeasurementFamily"])


def test_products_have_identifier_value_not_root_and_realistic_values(sandbox: SandboxServer) -> None:
    products = list(sandbox.catalog.iter_products())
    assert len(products) == 300
    assert all("identifier" not in p and len(p["values"]["sku"]) == 1 for p in products)
    values = [v for p in products for vs in p["values"].values() for v in vs]
    assert any(v["locale"] and v["scope"] for v in values)  # localizable and scopable
    assert any(isinstance(v["data"], list) and v["data"] and isinstance(v["data"][0], dict) for v in values)
    assert {p["parent"] is None for p in products} == {True, False}
    models = list(sandbox.catalog.iter_product_models())
    assert {m["parent"] is None for m in models} == {True, False}  # two-level family variants


@pytest.mark.parametrize("path,key", [(p, "uuid" if p == "products-uuid" else "code") for p in ENDPOINTS])
def test_offset_walk_reaches_every_item_exactly_once(sandbox_api: SandboxAPI, path: str, key: str) -> None:
    items, pages = sandbox_api.walk(f"/api/rest/v1/{path}", limit=7)
    keys = [i[key] for i in items]
    assert len(keys) == len(set(keys))
    truth = {"products-uuid": lambda: [p["uuid"] for p in sandbox_api.server.catalog.iter_products()],
             "product-models": lambda: [m["code"] for m in sandbox_api.server.catalog.iter_product_models()]}
    if path in truth:
        assert set(keys) == set(truth[path]())
    assert pages == len(keys) // 7 + 1  # a full last page links to an empty page


@pytest.mark.parametrize("path,key", [("products-uuid", "uuid"), ("product-models", "code")])
def test_search_after_walk_reaches_every_item_exactly_once_in_key_order(
    sandbox_api: SandboxAPI, path: str, key: str
) -> None:
    items, _ = sandbox_api.walk(f"/api/rest/v1/{path}", pagination_type="search_after", limit=13)
    keys = [i[key] for i in items]
    assert keys == sorted(set(keys))
    expected = (sandbox_api.server.catalog.iter_products() if path == "products-uuid"
                else sandbox_api.server.catalog.iter_product_models())
    assert keys == [e[key] for e in expected]


def test_offset_links_counts_and_defaults(sandbox_api: SandboxAPI) -> None:
    base = sandbox_api.server.base_url
    first = sandbox_api.get("/api/rest/v1/products-uuid", with_count="true").json()
    assert first["current_page"] == 1 and first["items_count"] == 300
    assert len(first["_embedded"]["items"]) == 10  # default limit
    assert "previous" not in first["_links"] and first["_links"]["next"]["href"].startswith(base)
    second = sandbox_api.get(first["_links"]["next"]["href"]).json()
    assert second["current_page"] == 2 and second["_links"]["previous"]["href"] == first["_links"]["self"]["href"]
    assert "items_count" in second and "items_count" not in sandbox_api.get("/api/rest/v1/families").json()


def test_search_after_first_page_and_opaque_cursor(sandbox_api: SandboxAPI) -> None:
    body = sandbox_api.get("/api/rest/v1/products-uuid", pagination_type="search_after", limit=5).json()
    assert set(body["_links"]) == {"self", "first", "next"} and "current_page" not in body
    last_uuid = body["_embedded"]["items"][-1]["uuid"]
    assert last_uuid not in body["_links"]["next"]["href"]  # opaque, not the raw key
    bad = sandbox_api.get("/api/rest/v1/products-uuid", pagination_type="search_after", search_after="nonsense")
    assert bad.status_code == 422


@pytest.mark.parametrize("params,message", [
    ({"limit": 101}, "You cannot request more than 100 items."),
    ({"limit": 0}, None),
    ({"pagination_type": "cursor"}, None),
])
def test_bad_paging_parameters_give_422(sandbox_api: SandboxAPI, params: dict[str, Any], message: str | None) -> None:
    response = sandbox_api.get("/api/rest/v1/categories", **params)
    assert response.status_code == 422 and response.json()["code"] == 422
    if message:
        assert response.json()["message"] == message


@pytest.mark.parametrize("path", ["products-uuid", "product-models"])
def test_offset_pagination_is_capped_at_10000_items(sandbox_api: SandboxAPI, path: str) -> None:
    ok = sandbox_api.get(f"/api/rest/v1/{path}", page=100, limit=100)
    assert ok.status_code == 200
    for page, limit in ((101, 100), (1001, 10)):
        response = sandbox_api.get(f"/api/rest/v1/{path}", page=page, limit=limit)
        assert response.status_code == 422
        assert "search after" in response.json()["message"]
        assert response.json()["_links"]["documentation"]["href"].endswith("#the-search-after-method")
    assert sandbox_api.get("/api/rest/v1/categories", page=101, limit=100).status_code == 200


def test_get_one_and_404(sandbox_api: SandboxAPI) -> None:
    product = next(sandbox_api.server.catalog.iter_products())
    got = sandbox_api.get(f"/api/rest/v1/products-uuid/{product['uuid']}").json()
    assert got == product
    assert sandbox_api.get("/api/rest/v1/products-uuid/00000000-0000-4000-8000-000000000000").status_code == 404
    assert sandbox_api.get("/api/rest/v1/product-models/tshirt_0000000").json()["family_variant"] \
        == "clothing_color_size"
    assert sandbox_api.get("/api/rest/v1/attributes/color/options/red").json()["labels"]["fr_FR"] == "Rouge"
    assert sandbox_api.get("/api/rest/v1/families/shoes/variants/shoes_size").json()["code"] == "shoes_size"
    assert sandbox_api.get("/api/rest/v1/attributes/nope/options").status_code == 404
    assert sandbox_api.get("/api/rest/v1/nowhere").status_code == 404


@pytest.mark.parametrize("flag", ["true", "1"])
def test_category_position_only_when_asked(sandbox_api: SandboxAPI, flag: str) -> None:
    """Akeneo adds `position` only for `with_position=true` (7.0+), on lists and get-ones alike."""
    truth = {c["code"]: c["position"] for c in sandbox_api.server.catalog.items("categories")}
    plain, _ = sandbox_api.walk("/api/rest/v1/categories", limit=5)
    asked, pages = sandbox_api.walk("/api/rest/v1/categories", limit=5, with_position=flag)
    assert pages > 1  # the next links carry the parameter on
    assert {c["code"] for c in plain} == set(truth) and not any("position" in c for c in plain)
    assert {c["code"]: c["position"] for c in asked} == truth
    assert "position" not in sandbox_api.get("/api/rest/v1/categories/men", with_position="false").json()
    assert sandbox_api.get("/api/rest/v1/categories/men", with_position=flag).json()["position"] == truth["men"]


def test_attributes_parameter_projects_values(sandbox_api: SandboxAPI) -> None:
    items = sandbox_api.get("/api/rest/v1/products-uuid", attributes="sku", limit=20).json()["_embedded"]["items"]
    assert all(set(i["values"]) == {"sku"} for i in items)


def test_every_answer_has_a_date_header_and_system_information_needs_no_token(sandbox_api: SandboxAPI) -> None:
    response = sandbox_api.http.get("/api/rest/v1/system-information")
    assert response.status_code == 200 and response.headers["Date"].endswith("GMT")
    assert set(response.json()) == {"version", "edition"}
    assert sandbox_api.get("/api/rest/v1/locales").headers["Date"]


def test_same_seed_same_catalog(sandbox_factory: Callable[..., SandboxServer]) -> None:
    a = sandbox_factory(products=40, seed=7, anchor=1_767_225_600)
    b = sandbox_factory(products=40, seed=7, anchor=1_767_225_600)
    c = sandbox_factory(products=40, seed=8, anchor=1_767_225_600)
    assert list(a.catalog.iter_products()) == list(b.catalog.iter_products())
    assert list(a.catalog.iter_products()) != list(c.catalog.iter_products())


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_envelopes_validate_against_swagger_pagination(
    sandbox_api: SandboxAPI, definitions: dict[str, Any], path: str
) -> None:
    offset = sandbox_api.get(f"/api/rest/v1/{path}", limit=2, page=2).json()
    jsonschema.validate(offset, definitions["Pagination"])
    assert set(offset["_links"]) >= {"self", "first", "previous"}
    if path in ("products-uuid", "product-models"):
        after = sandbox_api.get(f"/api/rest/v1/{path}", limit=2, pagination_type="search_after").json()
        jsonschema.validate(after, definitions["SearchAfterPagination"])
