"""Catalog mode end to end at the sync layer: a catalog created by connect-app, configured and
enabled through the sandbox's admin API (the PIM user), read by `sync_entities` into a real
DuckDB warehouse. Only the selected products land; an edit inside the selection is read
incrementally; a product the selection drops is soft-deleted by the key scan; a disabled,
deleted or forbidden catalog fails the run and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoClient, AppCatalogError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_entities
from akeneo_pipeline_tests.fixtures.app_catalog import admin, catalog_settings, configure, connect_app, selected_uuids
from akeneo_pipeline_tests.fixtures.pipeline import assert_entities_match, run_pipeline
from akeneo_pipeline_tests.fixtures.sandbox import app_connect, exchange

Factory = Callable[..., SandboxServer]
SHOES_AND_HOME = [{"field": "family", "operator": "IN", "value": ["shoes", "home"]}]


class CatalogPipeline:
    """A sandbox, the catalog connect-app made for it, and a warehouse."""

    def __init__(self, server: SandboxServer, tmp_path: Path, **settings: Any) -> None:
        self.server = server
        self.env_file = tmp_path / ".env"
        result = connect_app(server, self.env_file, catalog_name="Store EU")
        assert result.catalog is not None
        self.catalog_id = result.catalog.id
        self.settings = catalog_settings(server, self.env_file, **settings)
        self.store = Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}", batch_rows=100)
        self.runs = 0

    def run(self, deletions: bool = False) -> None:
        self.runs += 1
        run_pipeline(self.settings, self.store, f"run{self.runs}", picklists=False, deletions=deletions)

    def products(self, settings: AkeneoSettings | None = None, deletions: bool = False) -> Any:
        self.runs += 1
        with AkeneoClient(settings or self.settings) as client:
            return sync_entities(client, self.store, "products", f"run{self.runs}", detect_deletions=deletions)

    def truth(self) -> list[dict[str, Any]]:
        """The selected products as the sandbox serves them."""
        chosen = selected_uuids(self.server, self.catalog_id)
        return [p for p in self.server.catalog.iter_products() if p["uuid"] in chosen]

    def live(self) -> set[str]:
        return {r["uuid"] for r in self.store.read_table("products").to_pylist() if r["deleted_at"] is None}

    def snapshot(self) -> tuple[list[Any], list[Any], dict[str, str | None]]:
        """Everything a failed run must leave alone: products, their values, the cursors."""
        products = sorted(self.store.read_table("products").to_pylist(), key=lambda r: r["uuid"])
        values = sorted(self.store.read_table("product_values").to_pylist(), key=repr)
        return products, values, {s: self.store.get_cursor(s) for s in ("products", "product_models")}


@pytest.fixture
def pipeline(sandbox_factory: Factory, tmp_path: Path) -> CatalogPipeline:
    server = sandbox_factory(products=400, seed=3)
    built = CatalogPipeline(server, tmp_path, updated_overlap_seconds=1)
    configure(server, built.catalog_id, SHOES_AND_HOME)
    return built


def test_a_run_loads_exactly_the_selected_products_through_the_catalog(pipeline: CatalogPipeline) -> None:
    pipeline.run()
    truth = pipeline.truth()
    assert {p["family"] for p in truth} == {"shoes", "home"} and 100 < len(truth) < 400
    assert_entities_match(pipeline.store, "products", truth)
    # product models still come from their own endpoint: all of them
    assert_entities_match(pipeline.store, "product_models", list(pipeline.server.catalog.iter_product_models()))
    paths = {e.path for e in pipeline.server.request_log}
    assert f"/api/rest/v1/catalogs/{pipeline.catalog_id}/products" in paths
    assert "/api/rest/v1/products-uuid" not in paths


def test_an_edit_inside_the_selection_is_read_incrementally(pipeline: CatalogPipeline) -> None:
    pipeline.run()
    before = {r["uuid"]: r["raw"] for r in pipeline.store.read_table("products").to_pylist()}
    inside = sorted(selected_uuids(pipeline.server, pipeline.catalog_id))[0]
    outside = next(p["uuid"] for p in pipeline.server.catalog.iter_products() if p["family"] == "clothing")
    pipeline.server.catalog.update_products(uuids=[inside, outside])
    pipeline.server.clear_log()

    synced = pipeline.products()

    assert synced.updated_after is not None and synced.load.rows == 1
    assert synced.catalog is not None and (synced.catalog.id, synced.catalog.name) == (pipeline.catalog_id, "Store EU")
    after = {r["uuid"]: r["raw"] for r in pipeline.store.read_table("products").to_pylist()}
    assert after[inside] != before[inside] and outside not in after
    assert_entities_match(pipeline.store, "products", pipeline.truth())
    reads = [e.query for e in pipeline.server.request_log if e.path.endswith("/products")]
    assert reads and all("updated_after=" in q for q in reads)


def test_a_product_the_selection_drops_is_soft_deleted_by_the_key_scan(pipeline: CatalogPipeline) -> None:
    pipeline.run()
    homes = {p["uuid"] for p in pipeline.truth() if p["family"] == "home"}
    configure(pipeline.server, pipeline.catalog_id, [{"field": "family", "operator": "IN", "value": ["shoes"]}],
              enable=False)  # the PIM user narrows the selection of the enabled catalog

    nightly = pipeline.products()
    assert pipeline.live() >= homes  # the nightly incremental run soft-deletes nothing

    scan = pipeline.products(deletions=True)
    assert scan.deletion is not None and scan.deletion.deleted == len(homes) == scan.left_selection
    assert pipeline.live() == selected_uuids(pipeline.server, pipeline.catalog_id)
    assert nightly.deletion is None
    assert any(e.path.endswith("/product-uuids") for e in pipeline.server.request_log)


def test_products_that_enter_the_selection_unedited_arrive_with_the_weekly_scan(pipeline: CatalogPipeline) -> None:
    pipeline.run()
    configure(pipeline.server, pipeline.catalog_id,
              [{"field": "family", "operator": "IN", "value": ["shoes", "home", "electronics"]}], enable=False)
    assert pipeline.products().load.rows == 0  # nobody edited them: an incremental read cannot see them
    pipeline.products(deletions=True)
    assert_entities_match(pipeline.store, "products", pipeline.truth())


def test_a_large_range_is_read_in_concurrent_windows(sandbox_factory: Factory, tmp_path: Path) -> None:
    server = sandbox_factory(products=1_500, seed=11)
    pipeline = CatalogPipeline(server, tmp_path, catalog_page_size=100)
    configure(server, pipeline.catalog_id, [{"field": "enabled", "operator": "=", "value": True}])
    server.clear_log()
    synced = pipeline.products()
    first_pages = {e.query for e in server.request_log
                   if e.path.endswith(f"{pipeline.catalog_id}/products") and "search_after=" not in e.query}
    assert len(first_pages) >= 4 and any("updated_before=" in q for q in first_pages)
    assert synced.load.rows >= len(pipeline.truth())
    assert_entities_match(pipeline.store, "products", pipeline.truth())


def disable(p: CatalogPipeline) -> None:
    admin(p.server, "catalogs/disable", {"id": p.catalog_id})


def delete(p: CatalogPipeline) -> None:
    p.server.app_catalogs.delete(p.catalog_id)  # the App deleted it (DELETE /catalogs/{id}), elsewhere


@pytest.mark.parametrize(("change", "state", "says"), [
    (disable, "disabled", "is disabled"),
    (delete, "deleted", "does not exist"),
])
def test_a_catalog_that_cannot_be_read_fails_the_run_and_changes_nothing(
    pipeline: CatalogPipeline, change: Callable[[CatalogPipeline], None], state: str, says: str
) -> None:
    pipeline.run()
    pipeline.server.catalog.update_products(uuids=sorted(selected_uuids(pipeline.server, pipeline.catalog_id))[:3])
    before = pipeline.snapshot()
    change(pipeline)

    for deletions in (False, True):
        with pytest.raises(AppCatalogError) as info:
            pipeline.products(deletions=deletions)
        message = str(info.value)
        assert pipeline.catalog_id in message and says in message
        assert f"{pipeline.server.base_url}/connect/apps/v1/catalogs/{pipeline.catalog_id}" in message
        assert "no row was soft-deleted and no cursor moved" in message
        assert info.value.state == state
        assert pipeline.snapshot() == before


def test_a_catalog_disabled_on_read_is_an_error_not_an_empty_selection(pipeline: CatalogPipeline) -> None:
    """The selection names a category that is then removed: Akeneo disables the catalog and its
    product lists answer 200 `{"error"}` (the guide's Troubleshooting)."""
    pipeline.run()
    before = pipeline.snapshot()
    admin(pipeline.server, "catalogs/selection", {"id": pipeline.catalog_id, "criteria": [
        {"field": "categories", "operator": "IN", "value": ["women_shoes"]}]})
    removed = admin(pipeline.server, "categories/remove", {"code": "women", "run_job": False})
    assert removed["disabled_catalogs"] == []  # the job did not run: the catalog still says enabled

    with pytest.raises(AppCatalogError, match="is disabled") as info:
        pipeline.products(deletions=True)
    assert "No products to synchronize" in str(info.value)  # Akeneo's own words, from the 200 answer
    assert pipeline.snapshot() == before


def test_a_token_without_the_catalog_scopes_is_refused_naming_them(pipeline: CatalogPipeline) -> None:
    pipeline.run()
    before = pipeline.snapshot()
    _, query = app_connect(pipeline.server, scope="read_products read_catalog_structure read_attribute_options "
                           "read_categories read_channel_settings read_channel_localization read_association_types")
    token = exchange(pipeline.server, query["code"]).json()["access_token"]
    lost = pipeline.settings.model_copy(update={"access_token": SecretStr(token), "app_scopes": None})

    with pytest.raises(AppCatalogError) as info:
        pipeline.products(lost, deletions=True)
    message = str(info.value)
    assert "lost the catalog scopes" in message and "status: 403" in message and pipeline.catalog_id in message
    assert info.value.state == "forbidden" and token not in message
    assert pipeline.snapshot() == before


def test_recorded_scopes_without_read_catalogs_stop_the_client_before_a_request(pipeline: CatalogPipeline) -> None:
    lost = pipeline.settings.model_copy(update={"app_scopes": "read_products read_catalog_structure"})
    with pytest.raises(AkeneoAuthError, match="read_catalogs"):
        AkeneoClient(lost)


def test_a_catalog_disabled_during_the_key_scan_soft_deletes_nothing_and_keeps_the_cursor(
    sandbox_factory: Factory, tmp_path: Path
) -> None:
    server = sandbox_factory(products=400, seed=3)
    pipeline = CatalogPipeline(server, tmp_path, updated_overlap_seconds=1, catalog_page_size=50)
    configure(server, pipeline.catalog_id, SHOES_AND_HOME)
    pipeline.run()
    configure(server, pipeline.catalog_id, [{"field": "family", "operator": "IN", "value": ["shoes"]}],
              enable=False)  # the scan would soft-delete the home products if it finished
    cursor = pipeline.store.get_cursor("products")
    live = pipeline.live()
    admin(server, "schedule", {"path": f"/api/rest/v1/catalogs/{pipeline.catalog_id}/product-uuids", "after": 1,
                               "mutation": "catalogs/disable", "body": {"id": pipeline.catalog_id}})

    with pytest.raises(AppCatalogError, match="is disabled"):
        pipeline.products(deletions=True)

    assert pipeline.live() == live and pipeline.store.get_cursor("products") == cursor
    scans = [e for e in server.request_log if e.path.endswith("/product-uuids")]
    assert len(scans) == 2  # a page of keys, then the disabled answer
