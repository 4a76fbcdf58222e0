"""Reloading a full batch of stored products: the DuckDB upsert stays within the warehouse's memory limit."""

from __future__ import annotations

from pathlib import Path

from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage.store import BATCH_ROWS
from akeneo_pipeline_tests.fixtures.items import pages, product, product_uuid

PADDING = "x" * 1_500  # about the size of a real product's `raw` (bench/)


def _products(revision: int) -> list[dict]:
    return [product(n, revision) | {"notes": PADDING} for n in range(BATCH_ROWS)]


def test_a_full_batch_of_stored_products_reloads_newer(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    store.ensure_tables()
    store.load_entities("products", pages(_products(0), 100), run_id="first", next_cursor=None)
    result = store.load_entities("products", pages(_products(1), 100), run_id="second", next_cursor=None)
    assert result.rows == BATCH_ROWS
    rows = store.read_table("products").select(["uuid", "updated", "run_id"]).to_pylist()
    assert len(rows) == BATCH_ROWS
    assert {row["run_id"] for row in rows} == {"second"}
    last = next(row for row in rows if row["uuid"] == product_uuid(BATCH_ROWS - 1))
    assert last["updated"].minute == 57  # revision 1's `updated`
