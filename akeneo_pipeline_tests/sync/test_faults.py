"""Unattended nights (the sync functions the nightly job's assets call) against a throttling,
failing Akeneo: 429 bursts (with and without `Retry-After`), 5xx, dropped connections and cut
bodies on 5% of requests, and still a full and an incremental run end with exactly the
sandbox's catalog, on DuckDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.pipeline import Proof, assert_matches_sandbox, run_pipeline
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from akeneo_pipeline_tests.fixtures.warehouse import dialect

Factory = Callable[..., SandboxServer]
TRANSIENT = ("500", "502", "503", "drop", "truncate")


def merchandiser_day(server: SandboxServer) -> None:
    """Edits, creations, deletions and picklist changes between two nightly runs."""
    catalog = server.catalog
    catalog.update_products(40)
    catalog.create_products(10)
    catalog.delete_products(5)
    catalog.update_product_models(2)
    catalog.add_option("color", "teal", {"en_US": "Teal"})
    catalog.relabel_option("brand", catalog.items("attribute_options")[0]["code"], "en_US", "Renamed")


@pytest.mark.slow
@pytest.mark.parametrize("retry_after", [True, False], ids=["retry-after", "no-retry-after"])
def test_full_and_incremental_runs_under_faults_end_with_exactly_the_sandbox(
    sandbox_factory: Factory, warehouse_url: str, tmp_path: Path, retry_after: bool
) -> None:
    server = sandbox_factory(products=300, seed=7, fault_rate=0.05, fault_kinds=TRANSIENT, fault_seed=11,
                             rps_limit=25, retry_after=retry_after)
    settings = settings_for(server, page_size=20, backoff_base=0.1, backoff_max=0.5, max_attempts=10)
    store = Store(tmp_path / "data", warehouse_url, batch_rows=50)
    proof = Proof(f"faults, {'with' if retry_after else 'without'} Retry-After, {dialect(warehouse_url)}")

    run_pipeline(settings, store, "night-1")
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    cursor = store.get_cursor("products")

    merchandiser_day(server)
    run_pipeline(settings, store, "night-2", deletions=True)
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    moved = store.get_cursor("products")
    assert moved is not None and cursor is not None and moved > cursor

    proof.count_faults(server)
    assert sum(proof.faults[k] for k in TRANSIENT) > 0, "no fault was injected: the test proves nothing"
    assert any(k.startswith("429") for k in proof.faults), "no 429 burst happened"
    proof.report()
