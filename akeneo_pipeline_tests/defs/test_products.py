"""The incremental `products` and `product_models` assets as the `nightly` job runs them,
against a sandbox whose history has the shape that used to lose edits: variant products
edited early in a run's range and their parent models late."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.dagster import materializations, step_failures
from akeneo_pipeline_tests.fixtures.edits import variants_early_parents_late
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.pipeline import assert_entities_match, cursor_second
from akeneo_pipeline_tests.fixtures.zones import ZONES


def first_pages(server: SandboxServer, path: str) -> set[str]:
    """The windows a read opened: its search_after reads without a cursor yet."""
    return {e.query for e in server.request_log if e.path.endswith(path)
            and "pagination_type=search_after" in e.query and "search_after=" not in e.query}


@pytest.mark.slow
def test_nightly_lands_variants_edited_before_their_parent_models(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: SandboxServer = sandbox_factory(products=2_000, seed=13, anchor=int(time.time()) - 3 * 86_400)
    point_env_at(monkeypatch, server, tmp_path)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    nightly = defs.resolve_job_def("nightly")
    assert nightly.execute_in_process(instance=instance, raise_on_error=False).success
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    cursor = cursor_second(store, "products")
    history = variants_early_parents_late(server.catalog, cursor, server.catalog.now())
    assert history.changes > 1_000
    server.clear_log()

    result = nightly.execute_in_process(instance=instance, raise_on_error=False)

    assert result.success
    assert len(first_pages(server, "/products-uuid")) >= 3  # the range was split into windows
    assert_entities_match(store, "products", list(server.catalog.iter_products()))
    assert_entities_match(store, "product_models", list(server.catalog.iter_product_models()))
    products = materializations(result)["akeneo/products"]
    assert products["rows_read"] >= len(history.spread) + len(history.early_variants)
    checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert checks == []


@pytest.mark.slow
@pytest.mark.parametrize("label", sorted(ZONES))
def test_deletion_scan_in_the_server_zone(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    """The weekly `deletion_scan` against a server at UTC-5 / UTC+2: its key scan is a full read
    windowed on `created`, whose stamps here straddle a fall-back and a spring-forward, and
    carry both of the zone's offsets (none may trip the stamp check). Exactly the deleted
    products are soft-deleted; every live one stays."""
    zone = ZONES[label]
    after_spring = zone.spring_forward + 14 * 86_400
    server: SandboxServer = sandbox_factory(products=1_500, seed=17, timezone=zone.name, anchor=after_spring,
                                            history_days=200)
    point_env_at(monkeypatch, server, tmp_path)
    monkeypatch.setenv("AKENEO_TIMEZONE", zone.name)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    scan = defs.resolve_job_def("deletion_scan")
    assert scan.execute_in_process(instance=instance, raise_on_error=False).success
    deleted = set(server.catalog.delete_products(7))
    server.clear_log()
    result = scan.execute_in_process(instance=instance, raise_on_error=False)

    assert result.success
    windows = {q for q in first_pages(server, "/products-uuid") if "created" in q}
    assert len(windows) >= 3  # the key scan was split on `created`
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    rows = store.read_table("products").to_pylist()
    assert {r["uuid"] for r in rows if r["deleted_at"] is not None} == deleted
    assert_entities_match(store, "products", list(server.catalog.iter_products()))
    created = [datetime.fromisoformat(r["created"]).timestamp() if isinstance(r["created"], str)
               else r["created"].timestamp() for r in rows]
    assert min(created) < zone.fall_back < zone.spring_forward < max(created)


@pytest.mark.slow
def test_a_wrong_akeneo_timezone_stops_the_run_naming_it_and_leaves_the_cursors(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server at UTC+2 read with AKENEO_TIMEZONE=UTC: the products asset fails, naming the
    setting and the offset its stamps carry; no cursor moves and no edit is half-loaded."""
    server: SandboxServer = sandbox_factory(products=200, seed=19, timezone="Europe/Helsinki")
    point_env_at(monkeypatch, server, tmp_path)
    monkeypatch.setenv("AKENEO_TIMEZONE", "Europe/Helsinki")
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    # A first run sets the cursors (the weekly scan's job: the two assets alone, so it is quick).
    assert defs.resolve_job_def("deletion_scan").execute_in_process(instance=instance, raise_on_error=False).success
    refresh = defs.resolve_job_def("products_refresh")
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    cursors = {stream: store.get_cursor(stream) for stream in ("products", "product_models")}
    assert all(cursors.values())
    before = {row["uuid"]: row["updated"] for row in store.read_table("products").to_pylist()}
    edited = server.catalog.update_products(5)

    monkeypatch.setenv("AKENEO_TIMEZONE", "UTC")
    failed = refresh.execute_in_process(instance=instance, raise_on_error=False)

    assert not failed.success
    messages = step_failures(failed)
    assert messages and all("AKENEO_TIMEZONE=UTC" in m and re.search(r"offset \+0[23]:00", m) for m in messages)
    assert {stream: store.get_cursor(stream) for stream in cursors} == cursors
    after = {row["uuid"]: row["updated"] for row in store.read_table("products").to_pylist()}
    assert after == before and set(edited) <= set(after)  # the next run, set right, reads the edits
