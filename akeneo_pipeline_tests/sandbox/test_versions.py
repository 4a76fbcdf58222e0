"""The sandbox as Akeneo 6 and 7 (route list, product routes, item shapes) and its answer-shaping
knobs, at the HTTP level: what a client not written here would see."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

import akeneo_pipeline.sandbox
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sandbox.__main__ import parser
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI
from akeneo_pipeline_tests.fixtures.swagger import loosen

Factory = Callable[..., SandboxServer]
API = "/api/rest/v1"
VENDORED = Path(akeneo_pipeline.sandbox.__file__).parent / "swagger_definitions.json"


def api_for(server: SandboxServer) -> SandboxAPI:
    return SandboxAPI(server)


@pytest.fixture
def v6(sandbox_factory: Factory) -> Iterator[SandboxAPI]:
    api = api_for(sandbox_factory(products=120, seed=2, akeneo_version=6))
    yield api
    api.close()


def test_the_route_list_has_the_root_endpoints_shape_and_the_versions_routes(sandbox_factory: Factory) -> None:
    for version, has_uuid in ((6, False), (7, True)):
        server = sandbox_factory(products=5, akeneo_version=version)
        body = httpx.get(f"{server.base_url}{API}").json()  # no token: x-no-token in the Swagger file
        assert set(body) == {"host", "authentication", "routes"} and body["host"] == server.base_url
        assert body["authentication"]["fos_oauth_server_token"] == {"route": "/api/oauth/v1/token", "methods": ["POST"]}
        assert all(set(r) == {"route", "methods"} and r["route"].startswith(API) for r in body["routes"].values())
        assert all(re.fullmatch(r"(pim_api|akeneo_catalogs_public)_[a-z_]+", name) for name in body["routes"])
        assert ("akeneo_catalogs_public_get_products" in body["routes"]) is has_uuid  # App catalogs: SaaS routes
        paths = {r["route"] for r in body["routes"].values() if "GET" in r["methods"]}
        assert (f"{API}/products-uuid" in paths) is has_uuid and f"{API}/products" in paths
        assert body["routes"]["pim_api_product_list"] == {"route": f"{API}/products", "methods": ["GET"]}


def test_the_route_list_can_be_refused_like_a_proxy_would(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=5, route_list_status=404)
    assert httpx.get(f"{server.base_url}{API}").status_code == 404
    server.configure(route_list_status=403, error_body="html")
    refused = httpx.get(f"{server.base_url}{API}")
    assert refused.status_code == 403 and "<h1>403 Forbidden</h1>" in refused.text


def test_akeneo_6_has_no_uuid_routes(v6: SandboxAPI) -> None:
    answer = v6.get(f"{API}/products-uuid")
    assert answer.status_code == 404 and "No route found" in answer.json()["message"]
    assert v6.get(f"{API}/products-uuid/{'0' * 8}-0000-4000-8000-{'0' * 12}").status_code == 404
    info = httpx.get(f"{v6.server.base_url}{API}/system-information").json()
    assert info == {"version": "6.0.28", "edition": "CE"}


def test_products_by_identifier_validate_and_carry_no_uuid(v6: SandboxAPI) -> None:
    definition = loosen(json.loads(VENDORED.read_text())["definitions"]["Product"])
    items, _ = v6.walk(f"{API}/products", limit=50)
    truth = {p["values"]["sku"][0]["data"]: p for p in v6.server.catalog.iter_products()}
    assert sorted(i["identifier"] for i in items) == sorted(truth)
    for item in items:
        jsonschema.Draft4Validator(definition).validate(item)
        assert "uuid" not in item and "sku" not in item["values"]  # ConnectorProductNormalizer
        assert list(item)[:2] == ["_links", "identifier"]
        assert item["_links"]["self"]["href"] == f"{v6.server.base_url}{API}/products/{item['identifier']}"
        same = truth[item["identifier"]]
        assert item["updated"] == same["updated"] and item["parent"] == same["parent"]
        assert item["values"] == {k: v for k, v in same["values"].items() if k != "sku"}


def test_products_by_identifier_page_by_search_after_in_identifier_order_with_filters(v6: SandboxAPI) -> None:
    items, pages = v6.walk(f"{API}/products", pagination_type="search_after", limit=13)
    identifiers = [i["identifier"] for i in items]
    assert identifiers == sorted(identifiers) and len(identifiers) == 120 and pages == 10
    counted = v6.get(f"{API}/products", with_count="true", limit=1).json()
    assert counted["items_count"] == 120
    newest = max(p["updated"] for p in v6.server.catalog.iter_products())
    second = newest[:19].replace("T", " ")
    recent = v6.get(f"{API}/products", limit=100, search=json.dumps({"updated": [{"operator": "<", "value": second}]}))
    assert 0 < len(recent.json()["_embedded"]["items"]) < 120
    one = v6.get(f"{API}/products/{identifiers[5]}").json()
    assert one["identifier"] == identifiers[5] and "_links" not in one
    assert v6.get(f"{API}/products/NOPE-1").status_code == 404
    only_sku = v6.get(f"{API}/products", attributes="sku", limit=5).json()["_embedded"]["items"]
    assert all(i["values"] == {} and i["identifier"] for i in only_sku)


def test_the_same_catalog_is_served_as_7_after_an_upgrade(v6: SandboxAPI) -> None:
    before = {i["identifier"]: i for i in v6.walk(f"{API}/products", limit=100)[0]}
    v6.server.configure(akeneo_version=7)
    after, _ = v6.walk(f"{API}/products-uuid", limit=100)
    assert {i["values"]["sku"][0]["data"] for i in after} == set(before)
    assert all(i["updated"] == before[i["values"]["sku"][0]["data"]]["updated"] for i in after)
    assert "pim_api_product_uuid_list" in httpx.get(f"{v6.server.base_url}{API}").json()["routes"]


def test_answer_shaping_knobs(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=30, omit_items_count=True, relative_links=True, omit_null_fields=True,
                             measurement_families_paged=True)
    api = api_for(server)
    try:
        page = api.get(f"{API}/products-uuid", with_count="true", limit=10).json()
        assert "items_count" not in page
        assert page["_links"]["next"]["href"].startswith(f"{API}/products-uuid?")
        assert all(i["_links"]["self"]["href"].startswith(f"{API}/products-uuid/") for i in page["_embedded"]["items"])
        items = page["_embedded"]["items"]
        assert all(None not in i.values() for i in items) and any("parent" not in i for i in items)
        categories = api.get(f"{API}/categories", limit=100).json()["_embedded"]["items"]
        assert any("parent" not in c for c in categories)
        families = api.get(f"{API}/measurement-families").json()
        assert {f["code"] for f in families["_embedded"]["items"]} == {"Weight", "Length"}
        server.configure(omit_items_count=False, relative_links=False, omit_null_fields=False,
                         measurement_families_paged=False)
        assert isinstance(api.get(f"{API}/measurement-families").json(), list)
        assert api.get(f"{API}/products-uuid", with_count="true").json()["items_count"] == 30
    finally:
        api.close()


@pytest.mark.parametrize("style,content_type,check", [
    ("html", "text/html", lambda body: "<h1>404 Not Found</h1>" in body),
    ("error", "application/json", lambda body: json.loads(body) == {"error": 'Attribute "nope" does not exist.'}),
    ("text", "text/plain", lambda body: body == '404 Not Found: Attribute "nope" does not exist.'),
    ("empty", "application/json", lambda body: body == ""),
    ("echo", "text/plain",
     lambda body: "Authorization: Bearer " in body and "GET /api/rest/v1/attributes/nope" in body),
])
def test_error_bodies_as_a_proxy_writes_them(sandbox_factory: Factory, style: str, content_type: str,
                                             check: Callable[[str], bool]) -> None:
    server = sandbox_factory(products=5, error_body=style)
    api = api_for(server)
    try:
        answer = api.get(f"{API}/attributes/nope/options")
        assert answer.status_code == 404 and answer.headers["Content-Type"] == content_type
        assert check(answer.text)
        token = api.http.post("/api/oauth/v1/token", auth=("x", "y"), json={"grant_type": "password"})
        assert token.status_code == 422 and "message" in token.json()  # the token endpoint stays Akeneo's
    finally:
        api.close()


def test_cli_flags_for_the_version_and_the_knobs() -> None:
    args = vars(parser().parse_args(["serve", "--akeneo-version", "6", "--route-list-status", "404",
                                     "--omit-items-count", "--error-body", "html", "--relative-links"]))
    assert (args["akeneo_version"], args["route_list_status"], args["omit_items_count"], args["error_body"],
            args["relative_links"], args["omit_null_fields"]) == (6, 404, True, "html", True, False)


@pytest.mark.parametrize("bad,message", [({"akeneo_version": 5}, "akeneo_version"),
                                         ({"route_list_status": 500}, "route_list_status"),
                                         ({"error_body": "xml"}, "error_body")])
def test_bad_knob_values_are_refused_by_name(sandbox_factory: Factory, bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sandbox_factory(products=5, **bad)
    server = sandbox_factory(products=5)
    with pytest.raises(ValueError, match=message):
        server.configure(**bad)


def test_the_version_and_the_knobs_change_at_run_time_through_the_admin_api(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=8)
    api = api_for(server)
    try:
        assert api.get(f"{API}/products-uuid").status_code == 200
        answer = httpx.post(f"{server.base_url}/_sandbox/configure",
                            json={"akeneo_version": 6, "error_body": "text", "omit_items_count": True})
        assert answer.status_code == 200
        refused = api.get(f"{API}/products-uuid")
        assert refused.status_code == 404 and refused.text.startswith("404 Not Found: No route found")
        assert "items_count" not in api.get(f"{API}/products", with_count="true").json()
        bad = httpx.post(f"{server.base_url}/_sandbox/configure", json={"akeneo_version": 8})
        assert bad.status_code == 422 and "akeneo_version" in bad.json()["message"]
    finally:
        api.close()
