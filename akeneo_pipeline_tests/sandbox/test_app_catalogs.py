"""The sandbox's App catalogs at the HTTP level: scopes, ownership and the catalog resource,
against Akeneo's SaaS Swagger of the catalog endpoints (fixtures/app_catalogs_swagger/) and the
behaviours of pim-community-dev's catalogs component the sandbox modules cite. Products through
a catalog, the selection and disabled catalogs: test_app_catalog_products.py."""

from __future__ import annotations

import httpx
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.app_catalogs_http import (
    ALL_SCOPES,
    API,
    NOT_FOUND,
    App,
    spec,
    validator,
)
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI

# ---- access -----------------------------------------------------------------------------------

def test_the_app_flow_grants_the_catalog_scopes_and_a_connection_token_gets_akeneos_403(
        server: SandboxServer) -> None:
    answer = httpx.get(f"{server.base_url}/connect/apps/v1/authorize", params={
        "response_type": "code", "client_id": server.config.app_client_id, "scope": ALL_SCOPES})
    assert answer.status_code == 302 and "code=" in answer.headers["Location"]
    app = App(server)
    assert app.get(f"{API}/catalogs").status_code == 200
    api = SandboxAPI(server)  # an API connection's password-grant token
    connection = httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {api.token}"})
    # The catalog ACLs are invisible and off at creation (acl.yml): no connection role holds them.
    for method, path, message in [
            ("GET", f"{API}/catalogs", "Access forbidden. You are not allowed to access app catalogs."),
            ("POST", f"{API}/catalogs", "Access forbidden. You are not allowed to edit app catalogs."),
            ("DELETE", f"{API}/catalogs/{'1' * 8}-1111-4111-8111-{'1' * 12}",
             "Access forbidden. You are not allowed to delete app catalogs.")]:
        refused = connection.request(method, path, json={"name": "x"})
        assert refused.status_code == 403 and refused.json() == {"code": 403, "message": message}


@pytest.mark.parametrize("scope,allowed", [
    ("read_catalogs read_products", {"list", "read"}),
    ("write_catalogs read_products", {"list", "read", "create", "patch"}),  # write includes read
    ("delete_catalogs read_products", {"list", "read", "create", "patch", "delete"}),  # delete includes both
    ("read_catalogs", {"list"}),  # products need read_products too
])
def test_catalog_scopes_follow_akeneos_hierarchy(server: SandboxServer, scope: str, allowed: set[str]) -> None:
    catalog_id = server.app_catalogs.create("Owned", server.config.app_client_id).id
    server.app_catalogs.enable(catalog_id)
    app = App(server, scope)
    calls = {
        "list": lambda: app.get(f"{API}/catalogs"),
        "read": lambda: app.get(f"{API}/catalogs/{catalog_id}/product-uuids"),
        "create": lambda: app.http.post(f"{API}/catalogs", json={"name": "new"}),
        "patch": lambda: app.http.patch(f"{API}/catalogs/{catalog_id}", json={"name": "renamed"}),
        "delete": lambda: app.http.delete(f"{API}/catalogs/{catalog_id}"),
    }
    for name, call in calls.items():
        answer = call()
        assert (answer.status_code < 300) is (name in allowed), (name, answer.status_code, answer.text)
        if name not in allowed:
            assert answer.status_code == 403 and answer.json()["message"].startswith("Access forbidden.")
    if "read" not in allowed:
        refused = app.get(f"{API}/catalogs/{catalog_id}/products")
        assert refused.json() == {"code": 403, "message": "Access forbidden. You are not allowed to access products."}


def test_catalogs_belong_to_the_app_that_created_them(server: SandboxServer, app: App) -> None:
    mine = app.create("Mine")
    theirs = app.admin("catalogs/create", {"name": "Theirs", "owner": "another_app"}).json()["id"]
    server.app_catalogs.enable(theirs)
    listed = app.get(f"{API}/catalogs").json()["_embedded"]["items"]
    assert [c["id"] for c in listed] == [mine]
    for path in (f"catalogs/{theirs}", f"catalogs/{theirs}/products", f"catalogs/{theirs}/product-uuids"):
        answer = app.get(f"{API}/{path}")
        assert answer.status_code == 404 and answer.json() == {"code": 404, "message": NOT_FOUND.format(id=theirs)}
    assert app.http.delete(f"{API}/catalogs/{theirs}").status_code == 404
    assert server.app_catalogs.state(theirs)["owner"] == "another_app"


# ---- the catalog resource ---------------------------------------------------------------------

def test_create_get_patch_delete_answer_the_specs(server: SandboxServer, app: App) -> None:
    created = app.http.post(f"{API}/catalogs", json={"name": "Store EU", "managed_currencies": ["EUR"],
                                                     "managed_locales": ["fr_FR", "de_DE"]})
    assert created.status_code == 201
    validator("app_catalogs.yaml", "post", 201).validate(created.json())
    body = created.json()
    assert body == {"id": body["id"], "name": "Store EU", "enabled": False, "managed_currencies": ["EUR"],
                    "managed_locales": ["fr_FR", "de_DE"]}  # new catalogs are disabled (catalogs.md)
    catalog_id = body["id"]
    got = app.get(f"{API}/catalogs/{catalog_id}")
    validator("app_catalogs_id.yaml", "get", 200).validate(got.json())
    assert got.json() == body
    assert server.app_catalogs.state(catalog_id)["product_selection_criteria"] == [
        {"field": "enabled", "operator": "=", "value": True}]  # CreateCatalogHandler's default selection
    patched = app.http.patch(f"{API}/catalogs/{catalog_id}", json={"name": "Store Europe",
                                                                   "managed_currencies": ["EUR", "GBP"]})
    assert patched.status_code == 200
    validator("app_catalogs_id.yaml", "patch", 200).validate(patched.json())
    assert patched.json()["name"] == "Store Europe" and patched.json()["managed_currencies"] == ["EUR", "GBP"]
    deleted = app.http.delete(f"{API}/catalogs/{catalog_id}")
    assert deleted.status_code == 204 and deleted.content == b""
    for path in (f"catalogs/{catalog_id}", f"catalogs/{catalog_id}/products", f"catalogs/{catalog_id}/product-uuids"):
        gone = app.get(f"{API}/{path}")
        assert gone.status_code == 404 and gone.json()["message"] == NOT_FOUND.format(id=catalog_id)
    assert app.http.delete(f"{API}/catalogs/{catalog_id}").status_code == 404


def test_bad_input_gets_akeneos_answers(app: App) -> None:
    blank = app.http.post(f"{API}/catalogs", json={"name": ""})
    example = spec("app_catalogs.yaml")["post"]["responses"][422]["x-examples-per-version"][0]["x-example"]
    assert blank.status_code == 422 and blank.json() == example
    assert app.http.post(f"{API}/catalogs", json={}).json() == example  # `$payload['name'] ?? ''`
    too_long = app.http.post(f"{API}/catalogs", json={"name": "x" * 256}).json()
    assert too_long["errors"] == [{"property": "name",
                                   "message": "This value is too long. It should have 255 characters or less."}]
    no_type = app.http.post(f"{API}/catalogs", content=b'{"name": "x"}')
    assert no_type.status_code == 415 and "'Content-type' header is missing" in no_type.json()["message"]
    text = app.http.post(f"{API}/catalogs", content=b"x", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415 and text.json()["message"].startswith("'text/plain' in 'Content-type'")
    catalog_id = app.create()
    assert app.http.patch(f"{API}/catalogs/{catalog_id}", json={"name": ""}).status_code == 422
    # A non-uuid id: GetCatalogAction lets the query's violation through (422), the others answer 404.
    bad = app.get(f"{API}/catalogs/not-a-uuid")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"property": "id", "message": "This is not a valid UUID."}]
    assert app.http.delete(f"{API}/catalogs/not-a-uuid").status_code == 404
    assert app.get(f"{API}/catalogs/not-a-uuid/products").status_code == 404
    put = app.http.put(f"{API}/catalogs/{catalog_id}", json={"name": "x"})
    assert put.status_code in (405, 501)
    assert app.http.post(f"{API}/catalogs/{catalog_id}", json={}).status_code == 405


def test_the_catalog_list_pages_by_offset_in_id_order(server: SandboxServer, app: App) -> None:
    ids = sorted(app.create(f"Store {n}") for n in range(5))
    page = app.get(f"{API}/catalogs", limit=2)
    validator("app_catalogs.yaml", "get", 200).validate(page.json())
    seen, body = [], page.json()
    while True:
        assert all(item["_links"]["self"]["href"] == f"{server.base_url}{API}/catalogs/{item['id']}"
                   for item in body["_embedded"]["items"])
        seen += [item["id"] for item in body["_embedded"]["items"]]
        if "next" not in body["_links"]:
            break
        body = app.get(body["_links"]["next"]["href"]).json()
    assert seen == ids and body["current_page"] == 3 and "previous" in body["_links"]
    for bad in ({"limit": 101}, {"limit": 0}, {"page": 0}):
        answer = app.get(f"{API}/catalogs", **bad)
        assert answer.status_code == 400  # GetCatalogsAction: `throw new BadRequestHttpException()`


def test_an_app_creates_at_most_200_catalogs(server: SandboxServer, app: App) -> None:
    for n in range(200):
        server.app_catalogs.create(f"c{n}", server.config.app_client_id)
    refused = app.http.post(f"{API}/catalogs", json={"name": "one too many"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"property": "", "message": "You can create up to 200 catalogs"}]
    assert app.admin("catalogs/create", {"name": "another App's", "owner": "other"}).status_code == 200


