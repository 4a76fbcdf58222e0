"""The incremental `products` and `product_models` assets as the `nightly` job runs them,
against a sandbox whose history has the shape that used to lose edits: variant products
edited early in a run's range and their parent models late."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.edits import variants_early_parents_late
from akeneo_pipeline_tests.reliability_pipeline import assert_entities_match
from akeneo_pipeline_tests.test_defs_definitions import point_env_at


def first_pages(server: SandboxServer, path: str) -> set[str]:
    """The windows a read opened: its search_after reads without a cursor yet."""
    return {e.query for e in server.request_log if e.path.endswith(path)
            and "pagination_type=search_after" in e.query and "search_after=" not in e.query}


@pytest.mark.slow
def test_nightly_lands_variants_edited_before_their_parent_models(
    sandbox_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: SandboxServer = sandbox_factory(products=2_000, seed=13, anchor=int(time.time()) - 3 * 86_400)
    point_env_at(monkeypatch, server, tmp_path)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    nightly = defs.resolve_job_def("nightly")
    assert nightly.execute_in_process(instance=instance, raise_on_error=False).success
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    cursor = int(datetime.fromisoformat(store.get_cursor("products")).timestamp())
    history = variants_early_parents_late(server.catalog, cursor, server.catalog.now())
    assert history.changes > 1_000
    server.clear_log()

    result = nightly.execute_in_process(instance=instance, raise_on_error=False)

    assert result.success
    assert len(first_pages(server, "/products-uuid")) >= 3  # the range was split into windows
    assert_entities_match(store, "products", list(server.catalog.iter_products()))
    assert_entities_match(store, "product_models", list(server.catalog.iter_product_models()))
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "akeneo/products"]
    assert event.materialization.metadata["rows_read"].value >= len(history.spread) + len(history.early_variants)
    checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert checks == []
