"""Runs of `sync_entities` (what the products asset calls) that die halfway: a process killed with
SIGKILL, and PostgreSQL stopped in the middle of a load. Afterwards nothing is half-committed, the
cursor has not moved past data that did not commit, and the next run ends with exactly the
sandbox's catalog."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store, WarehouseUnavailableError
from akeneo_pipeline.sync import sync_entities
from akeneo_pipeline_tests.fixtures.pipeline import (
    Proof,
    assert_entities_match,
    assert_matches_sandbox,
    load_catalog,
    run_pipeline,
    start_loader,
)
from akeneo_pipeline_tests.fixtures.postgres import PG_PASSWORD, PostgresServer
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]


def committed_parts(data_dir: Path, run_id: str) -> int:
    return len(list((data_dir / "parquet" / "products" / f"run={run_id}").glob("part-*.parquet")))


@pytest.mark.slow
def test_products_load_killed_with_sigkill_then_rerun_loses_and_duplicates_nothing(
    sandbox_factory: Factory, tmp_path: Path
) -> None:
    server = sandbox_factory(products=600, seed=3)
    data_dir, url = tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    settings = settings_for(server, page_size=10)
    store = Store(data_dir, url, batch_rows=20)
    with AkeneoClient(settings) as client:
        load_catalog(client, store, "night-1")
    proof = Proof("SIGKILL mid products load, DuckDB")

    server.configure(latency_ms=40)  # slow enough for the kill to land between batches
    loader = start_loader(server, data_dir, url, "night-2")
    deadline = time.monotonic() + 60
    while committed_parts(data_dir, "night-2") < 3 and loader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(loader.pid, signal.SIGKILL)
    _, stderr = loader.communicate(timeout=30)
    assert loader.returncode == -signal.SIGKILL, f"the loader ended before the kill: {stderr[-2000:]}"
    proof.runs += 1
    proof.faults["SIGKILL"] += 1
    server.configure(latency_ms=0)

    landed = store.table_rows("products")
    assert store.get_cursor("products") is None, "the cursor moved although the load never finished"
    assert 0 < landed < 600, f"{landed} products committed: the kill did not land mid-load"
    # What did commit is whole: every committed product has all its value rows.
    truth = {p["uuid"]: p for p in server.catalog.iter_products()}
    committed = [row["uuid"] for row in store.read_table("products").to_pylist()]
    assert_entities_match(store, "products", [truth[uuid] for uuid in committed])
    proof.rows_compared += landed

    # While the pipeline was down, merchandisers kept working; the rerun starts from the old cursor.
    server.catalog.update_products(25)
    server.catalog.create_products(5)
    with AkeneoClient(settings) as client:
        sync_entities(client, store, "products", "night-3")
        sync_entities(client, store, "product_models", "night-3")
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    assert store.get_cursor("products") is not None
    proof.report()


def stop_postgres_after_parts(
    postgres_server: PostgresServer, data_dir: Path, run_id: str, parts: int
) -> threading.Thread:
    """Stops the PostgreSQL server once `parts` Parquet parts of the run's products exist: the load has
    committed `parts - 1` batches by then (each batch's part is written before its commit)."""

    def watch() -> None:
        deadline = time.monotonic() + 60
        while committed_parts(data_dir, run_id) < parts and time.monotonic() < deadline:
            time.sleep(0.005)
        postgres_server.stop()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_stopped_during_a_load_fails_clearly_commits_nothing_half_and_recovers(
    sandbox_factory: Factory, postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    server = sandbox_factory(products=300, seed=4)
    settings = settings_for(server, page_size=10)
    store = Store(tmp_path / "data", postgres_url, batch_rows=20)
    proof = Proof("PostgreSQL stopped mid products load")
    run_pipeline(settings, store, "night-1", picklists=False)
    proof.runs += 1
    before = store.get_cursor("products")
    server.catalog.update_products(120)

    # One call at a time, 50 ms each: batches of 20 commit a few tenths of a second apart.
    server.configure(latency_ms=50)
    try:
        watcher = stop_postgres_after_parts(postgres_server, store.data_dir, "night-2", parts=3)
        with (
            AkeneoClient(settings_for(server, page_size=10, max_concurrency=1)) as client,
            pytest.raises(WarehouseUnavailableError) as raised,
        ):
            sync_entities(client, store, "products", "night-2")
        watcher.join(timeout=60)
    finally:
        postgres_server.start()
    server.configure(latency_ms=0)
    proof.runs += 1
    proof.faults["PostgreSQL stopped"] += 1
    message = str(raised.value)
    assert "unavailable" in message and "WAREHOUSE_URL" in message and "no cursor was moved" in message
    assert PG_PASSWORD not in message and PG_PASSWORD not in repr(raised.value)
    assert store.get_cursor("products") == before
    # Committed batches are whole: some products are the new copy, the rest the old one, and every
    # product's value rows are exactly those of the copy stored: no product is half old, half new.
    truth = {p["uuid"]: p for p in server.catalog.iter_products()}
    stored = [{k: v for k, v in json.loads(p["raw"]).items() if k != "_links"}
              for p in store.read_table("products").to_pylist()]
    assert sorted(p["uuid"] for p in stored) == sorted(truth)
    fresh = sum(p == truth[p["uuid"]] for p in stored)
    assert len(truth) - 120 < fresh < len(truth), f"{fresh} products up to date: the stop did not land mid-load"
    proof.rows_compared += assert_entities_match(store, "products", stored)

    run_pipeline(settings, store, "night-3", picklists=False)
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    moved = store.get_cursor("products")
    assert moved is not None and before is not None and moved > before
    proof.report()

