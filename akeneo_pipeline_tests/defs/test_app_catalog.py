"""Catalog mode through the Dagster definitions a user runs: `connect-app` writes the token and
the catalog id to `.env`, a PIM user configures and enables the catalog (the sandbox's admin API),
then `nightly`, the change sensor and `deletion_scan` read the catalog's products only; a disabled
catalog fails `nightly` with the catalog's id, state and URL, and the warehouse stays as it was."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.app_catalog import admin, configure, connect_app, selected_uuids
from akeneo_pipeline_tests.fixtures.dagster import materializations, step_failures
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.pipeline import assert_entities_match


def snapshot(store: Store) -> tuple[list[Any], dict[str, str | None]]:
    rows = sorted(store.read_table("products").to_pylist(), key=lambda r: r["uuid"])
    return rows, {s: store.get_cursor(s) for s in ("products", "product_models")}


@pytest.mark.slow
def test_nightly_sensor_and_deletion_scan_read_the_catalog(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = sandbox_factory(products=300, seed=3)
    point_env_at(monkeypatch, server, tmp_path)
    monkeypatch.setenv("AKENEO_UPDATED_OVERLAP_SECONDS", "1")
    result = connect_app(server, tmp_path / ".env", catalog_name="Store EU")  # the .env the definitions read
    assert result.catalog is not None
    catalog_id = result.catalog.id
    configure(server, catalog_id, [{"field": "family", "operator": "IN", "value": ["shoes", "home"]}])
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")

    def run(job: str) -> dg.ExecuteInProcessResult:
        return defs.resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)

    def truth() -> list[dict[str, Any]]:
        chosen = selected_uuids(server, catalog_id)
        return [p for p in server.catalog.iter_products() if p["uuid"] in chosen]

    nightly = run("nightly")
    assert nightly.success, step_failures(nightly)
    assert_entities_match(store, "products", truth())
    products = materializations(nightly)["akeneo/products"]
    assert (products["akeneo_catalog_id"], products["akeneo_catalog_name"], products["akeneo_catalog_enabled"]) == (
        catalog_id, "Store EU", True)

    # The sensor asks the catalog: an edit outside the selection requests nothing, one inside does.
    sensor = defs.resolve_sensor_def("akeneo_changes")

    skipped: list[str] = []

    def tick(cursor: str | None) -> tuple[str | None, list[str]]:
        time.sleep(1.05 - time.time() % 1)  # the sensor judges whole seconds that are over
        with dg.build_sensor_context(instance=instance, cursor=cursor, resources=defs.resources) as context:
            data = sensor.evaluate_tick(context)
        skipped.append(data.skip_message or "")
        return data.cursor, sorted(r.job_name or "" for r in data.run_requests or [])

    cursor, _ = tick(None)
    outside = next(p["uuid"] for p in server.catalog.iter_products() if p["family"] == "clothing")
    server.catalog.update_products(uuids=[outside])
    cursor, requested = tick(cursor)
    assert requested == []
    inside = sorted(selected_uuids(server, catalog_id))[0]
    server.catalog.update_products(uuids=[inside])
    cursor, requested = tick(cursor)
    assert requested == ["products_refresh"]

    # The PIM user narrows the selection: the weekly scan soft-deletes the products that left it.
    homes = {p["uuid"] for p in truth() if p["family"] == "home"}
    admin(server, "catalogs/selection", {"id": catalog_id, "criteria": [
        {"field": "family", "operator": "IN", "value": ["shoes"]}]})
    scan = run("deletion_scan")
    assert scan.success, step_failures(scan)
    assert materializations(scan)["akeneo/products"]["left_selection"] == len(homes) > 0
    live = {r["uuid"] for r in store.read_table("products").to_pylist() if r["deleted_at"] is None}
    assert live == selected_uuids(server, catalog_id)

    # Disabled mid-way: the next nightly fails naming the catalog, and changes nothing.
    server.catalog.update_products(uuids=sorted(live)[:2])
    before = snapshot(store)
    admin(server, "catalogs/disable", {"id": catalog_id})
    failed = run("nightly")
    assert not failed.success
    message = "\n".join(step_failures(failed))
    assert f"App catalog {catalog_id} ('Store EU') (AKENEO_CATALOG_ID) is disabled" in message
    assert f"{server.base_url}/connect/apps/v1/catalogs/{catalog_id}" in message
    assert snapshot(store) == before
    cursor, requested = tick(cursor)
    assert requested == [] and f"App catalog {catalog_id}" in skipped[-1]  # the sensor says why
