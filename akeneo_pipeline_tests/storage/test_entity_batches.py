"""Items are flattened a chunk at a time (entity_batches.py): a batch still holds one copy per
key, the newest, with its own value rows, when the copies fell in different chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from akeneo_pipeline.storage import ENTITY_TABLES, Store
from akeneo_pipeline.storage.entity_batches import CHUNK_ROWS, flattened_batches
from akeneo_pipeline_tests.fixtures.items import product, product_uuid

N = 2 * CHUNK_ROWS + 500


def pages() -> list[list[dict]]:
    items = [product(n) for n in range(N)]
    # Product 7 listed again two chunks later, edited meanwhile (a later `updated`, a new name);
    # product 9 listed again with an older stamp than its first copy, which must stay.
    items.append(product(7, revision=1, updated="2020-01-01T00:00:00Z"))
    items.insert(0, product(9, revision=2, updated="2030-01-01T00:00:00Z"))
    return [items[at:at + 100] for at in range(0, len(items), 100)]


def test_a_key_repeated_across_chunks_keeps_its_newest_copy_and_only_its_values(tmp_path: Path) -> None:
    [(entities, values)] = list(flattened_batches(ENTITY_TABLES["products"], pages(), 10 * N, "r", "sku",
                                                  "uuid", "uuid"))
    assert entities.num_rows == N
    assert set(entities.column("uuid").to_pylist()) == {product_uuid(n) for n in range(N)}
    rows = {r["uuid"]: r for r in entities.to_pylist()}
    assert json.loads(rows[product_uuid(7)]["raw"]) == product(7, revision=1, updated="2020-01-01T00:00:00Z")
    assert json.loads(rows[product_uuid(9)]["raw"]) == product(9, revision=2, updated="2030-01-01T00:00:00Z")
    for n, revision in ((7, 1), (9, 2)):
        mine = [v for v in values.to_pylist() if v["product_uuid"] == product_uuid(n)]
        expected = product(n, revision)["values"]
        assert len(mine) == sum(len(entries) for entries in expected.values())
        assert {(v["attribute_code"], v["locale"], v["scope"]): json.loads(v["data"]) for v in mine} == {
            (a, e["locale"], e["scope"]): e["data"] for a, entries in expected.items() for e in entries}


def test_store_loads_batches_of_several_chunks_into_both_stores_alike(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", f"duckdb:///{tmp_path / 'w.duckdb'}", batch_rows=CHUNK_ROWS + 1)
    result = store.load_entities("products", pages(), run_id="r1", next_cursor=None, identifier_attribute="sku")
    assert result.rows == N + 1  # product 7's copies fell in two batches; the warehouse's upsert keeps the newest
    assert len(result.parquet_files) == 4  # two batches, each a products part and a values part
    stored = {r["uuid"]: r for r in store.read_table("products").to_pylist()}
    assert len(stored) == N
    assert json.loads(stored[product_uuid(7)]["raw"]) == product(7, revision=1, updated="2020-01-01T00:00:00Z")
    assert json.loads(stored[product_uuid(9)]["raw"]) == product(9, revision=2, updated="2030-01-01T00:00:00Z")
    revisions = {n: {7: 1, 9: 2}.get(n, 0) for n in range(N)}
    expected = sum(len(entries) for n, r in revisions.items() for entries in product(n, r)["values"].values())
    assert store.table_rows("product_values") == expected
    parquet_values = pq.read_table(store.parquet_dir / "product_values")
    assert parquet_values.num_rows == expected + sum(len(e) for e in product(7)["values"].values())  # the old copy
