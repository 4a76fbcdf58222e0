"""Route discovery (akeneo/routes.py) and products read the way the server keys them:
`/products-uuid` on Akeneo 7, `/products` by identifier on Akeneo 6."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.akeneo.routes import RouteList
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import sequential_keys, settings_for

Factory = Callable[..., SandboxServer]
API = "/api/rest/v1"

# The example answer of `GET /api/rest/v1` in Akeneo's Swagger file (akeneo-web-api.json), plus a
# route without methods: Symfony's getMethods() is empty for a route open to every method.
DOCUMENTED = {
    "host": "https://demo.akeneo.com",
    "authentication": {"fos_oauth_server_token": {"route": "/api/oauth/v1/token", "methods": ["POST"]}},
    "routes": {
        "pim_api_category_list": {"route": "/api/rest/v1/categories", "methods": ["GET"]},
        "pim_api_category_get": {"route": "/api/rest/v1/categories/{code}", "methods": ["GET"]},
        "pim_api_category_create": {"route": "/api/rest/v1/categories", "methods": ["POST"]},
        "pim_api_category_partial_update": {"route": "/api/rest/v1/categories/{code}", "methods": ["PATCH"]},
        "some_open_route": {"route": "/api/rest/v1/attributes/{attribute_code}/options", "methods": []},
    },
}


def identifiers(server: SandboxServer) -> list[str]:
    return [p["values"]["sku"][0]["data"] for p in server.catalog.iter_products()]


def root_calls(server: SandboxServer) -> int:
    return sum(1 for e in server.request_log if e.path == API)


def test_the_documented_route_list_answers_by_path_method_and_placeholder() -> None:
    routes = RouteList.parse(DOCUMENTED)
    assert routes is not None
    assert routes.offers(f"{API}/categories") and routes.offers(f"{API}/categories", "POST")
    assert routes.offers(f"{API}/categories/{{categoryCode}}", "PATCH")
    assert not routes.offers(f"{API}/categories/{{code}}", "DELETE")
    assert routes.offers(f"{API}/attributes/{{code}}/options", "DELETE")  # no methods: every method
    assert not routes.offers(f"{API}/products-uuid") and not routes.offers(f"{API}/reference-entities")
    assert RouteList.parse({"host": "x"}) is None and RouteList.parse(["not", "a", "list"]) is None


@pytest.mark.parametrize("version,key", [(7, "uuid"), (6, "identifier")])
def test_the_route_list_is_asked_once_per_client(sandbox_factory: Factory, version: int, key: str) -> None:
    server = sandbox_factory(products=60, akeneo_version=version)
    with AkeneoClient(settings_for(server)) as client:
        assert root_calls(server) == 0  # nothing asked before it is needed
        assert client.key_field("products") == key
        list(client.iter_entities("products"))
        list(client.scan_keys("products"))
        assert client.has_changes("products", datetime(2000, 1, 1, tzinfo=UTC))
        assert not client.routes.offers(f"{API}/reference-entities")  # Community Edition
        assert client.routes.offers(f"{API}/attributes/{{code}}/options")
    assert root_calls(server) == 1
    assert (sum(1 for e in server.request_log if e.path == f"{API}/products-uuid") > 0) is (version == 7)


def test_akeneo_6_products_are_read_by_identifier_concurrently_and_incrementally(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=300, akeneo_version=6)
    deleted = server.catalog.delete_products(4)
    truth = identifiers(server)
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        full = [p for page in client.iter_entities("products") for p in page]
        assert Counter(p["identifier"] for p in full) == Counter(truth)
        assert all("uuid" not in p for p in full)
        # A split read: windows side by side, each its own search_after cursor on /products.
        cursors = {e.query for e in server.request_log if e.path == f"{API}/products" and "search_after=" in e.query}
        assert len({q.split("search=")[1].split("&")[0] for q in cursors if "search=" in q}) >= 2
        after = datetime.fromisoformat(sorted(p["updated"] for p in full)[150])
        incremental = [p["identifier"] for page in client.iter_entities("products", updated_after=after) for p in page]
        assert sorted(incremental) == sorted(sequential_keys(server, f"{API}/products", "identifier", after))
        keys = [k for page in client.scan_keys("products") for k in page]
        assert Counter(keys) == Counter(truth)
        scans = [e for e in server.request_log if e.path == f"{API}/products" and "attributes=sku" in e.query]
        assert scans
        server.catalog.update_products(3)
        assert client.has_changes("products", datetime.now(UTC) - timedelta(seconds=30))
    assert not set(deleted) & {p.get("uuid") for p in full}


@pytest.mark.parametrize("status,style", [(404, "akeneo"), (403, "akeneo"), (404, "html")])
@pytest.mark.parametrize("version,key", [(7, "uuid"), (6, "identifier")])
def test_a_refused_route_list_is_probed_instead_with_one_warning(
    sandbox_factory: Factory, caplog: pytest.LogCaptureFixture, status: int, style: str, version: int, key: str
) -> None:
    server = sandbox_factory(products=40, akeneo_version=version, route_list_status=status, error_body=style)
    caplog.set_level(logging.WARNING, logger="akeneo_pipeline.akeneo")
    with AkeneoClient(settings_for(server)) as client:
        assert client.key_field("products") == key
        got = [p for page in client.iter_entities("products") for p in page]
        assert client.key_field("products") == key
        assert not client.routes.offers(f"{API}/reference-entities")
        assert not client.routes.offers(f"{API}/reference-entities")
    assert len(got) == 40
    warnings = [r.getMessage() for r in caplog.records if "did not list its routes" in r.getMessage()]
    assert len(warnings) == 1 and f"answered {status}" in warnings[0]
    probes = [e for e in server.request_log if e.query == "limit=1"]
    assert [e.path for e in probes] == [f"{API}/products-uuid", f"{API}/reference-entities"]
    assert root_calls(server) == 1
