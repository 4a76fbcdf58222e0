"""The sandbox's `edition` knob: what the Community and Growth editions leave out, the Enterprise and
Serenity route lists, system information and App scopes, the CLI flags, and the Enterprise data
generated with the catalog (products staying lazy)."""

from __future__ import annotations

import httpx
import pytest

from akeneo_pipeline.sandbox.__main__ import parser
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline_tests.fixtures.enterprise import API, Factory, post
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI, app_connect, exchange


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
