"""The warehouse contract on DuckDB and PostgreSQL: tables, keys, idempotent loads, value replacement."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow.parquet as pq
import pytest

from akeneo_pipeline.storage import ALL_TABLES, Store
from akeneo_pipeline_tests.fixtures.items import (
    CATALOG,
    VALUES_PER_PRODUCT,
    VALUES_PER_REVISED_PRODUCT,
    pages,
    product,
    product_model,
    product_uuid,
)
from akeneo_pipeline_tests.fixtures.warehouse import dialect, query

PRIMARY_KEYS = """
SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc
JOIN information_schema.key_column_usage kcu
  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name
WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = :schema
ORDER BY kcu.table_name, kcu.ordinal_position
"""
COLUMNS = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = :schema"
VOLATILE = ("extracted_at", "run_id")  # lineage: what a reload is allowed to refresh


def _stable(store: Store, table: str) -> list[dict]:
    return store.read_table(table).drop_columns([c for c in VOLATILE if c in ALL_TABLES[table].columns]).to_pylist()


def test_every_table_with_its_keys_and_types(store: Store, warehouse_url: str) -> None:
    store.ensure_tables()
    keys: dict[str, list[str]] = {}
    for row in query(warehouse_url, PRIMARY_KEYS, {"schema": "akeneo"}):
        keys.setdefault(row["table_name"], []).append(row["column_name"])
    assert keys["family_variants"] == ["family_code", "code"]
    assert keys["attribute_options"] == ["attribute_code", "code"]
    assert keys["products"] == ["uuid"] and keys["product_models"] == ["code"] and keys["sync_state"] == ["stream"]
    assert keys["picklist_changes"] == ["change_id"]
    # keyed by (attribute_code, table_column[, option_code]) with table_column NULL but for table select columns:
    # a logical key, no PRIMARY KEY (storage/picklist_tables.py)
    assert "picklist_attributes" not in keys and "picklist_current" not in keys
    assert keys["reference_entity_records"] == ["reference_entity_code", "code"]
    assert keys["table_select_options"] == ["attribute_code", "column_code", "code"]
    for name in ("channels", "locales", "currencies", "attribute_groups", "attributes", "families", "categories",
                 "association_types", "measurement_families"):
        assert keys[name] == ["code"], name
    types = {(r["table_name"], r["column_name"]): r["data_type"].lower()
             for r in query(warehouse_url, COLUMNS, {"schema": "akeneo"})}
    for name, spec in ALL_TABLES.items():
        assert {c for (t, c) in types if t == name} == set(spec.columns), name
    assert types[("products", "raw")] in ("json", "jsonb")
    assert types[("product_values", "data")] in ("json", "jsonb")
    assert types[("products", "updated")] in ("timestamp with time zone",)
    assert types[("sync_state", "moved_at")] == "timestamp with time zone"
    assert set(ALL_TABLES) >= {"picklist_changes", "picklist_current", "picklist_attributes"}  # created with the rest
    if dialect(warehouse_url) == "postgresql":  # value rows are replaced per owner: indexed
        indexed = {(r["tablename"], r["indexdef"].rsplit("(", 1)[1].rstrip(")")) for r in query(
            warehouse_url, "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = :schema",
            {"schema": "akeneo"})}
        assert {("product_values", "product_uuid"), ("product_model_values", "product_model_code")} <= indexed


def test_catalog_snapshots_land_in_parquet_and_warehouse(store: Store) -> None:
    for stream, items in CATALOG.items():
        result = store.load_catalog(stream, pages(items, 2), run_id="run-1")
        assert result.rows == len(items) == store.table_rows(stream)
        files = sorted((store.parquet_dir / stream / "run=run-1").glob("*.parquet"))
        assert files == sorted(result.parquet_files) and result.bytes > 0
        assert sum(pq.read_metadata(f).num_rows for f in files) == len(items)
    variants = store.read_table("family_variants").to_pylist()
    assert [(r["family_code"], r["code"]) for r in variants] == [("clothing", "shoesVariant"),
                                                                  ("shoes", "shoesVariant")]
    assert all("family" not in json.loads(r["raw"]) for r in variants)
    options = store.read_table("attribute_options").to_pylist()
    assert {(r["attribute_code"], r["code"]) for r in options} == {(o["attribute"], o["code"])
                                                                   for o in CATALOG["attribute_options"]}
    assert json.loads(options[0]["labels"]) == {"en_US": "Black", "fr_FR": "Noir"}


def test_loading_the_same_batches_twice_changes_nothing(store: Store) -> None:
    items = [product(i) for i in range(7)]
    store.load_catalog("attribute_options", [CATALOG["attribute_options"]], run_id="a")
    store.load_entities("products", pages(items, 3), run_id="a", next_cursor="c1", identifier_attribute="sku")
    before = {t: _stable(store, t) for t in ("attribute_options", "products", "product_values")}
    store.load_catalog("attribute_options", [CATALOG["attribute_options"]], run_id="b")
    result = store.load_entities("products", pages(items + items[:2], 3), run_id="b", next_cursor="c1",
                                    identifier_attribute="sku")
    assert result.cursor_before == "c1" == result.cursor_after
    after = {t: _stable(store, t) for t in before}
    assert after == before
    assert store.table_rows("products") == 7 and store.table_rows("product_values") == 7 * VALUES_PER_PRODUCT


def test_an_update_replaces_the_value_rows_whole(store: Store) -> None:
    store.load_entities("products", [[product(1), product(2)]], run_id="a", next_cursor="c1")
    result = store.load_entities("products", [[product(1, revision=1)]], run_id="b", next_cursor="c2")
    assert (result.rows, result.value_rows) == (1, VALUES_PER_REVISED_PRODUCT)
    rows = store.read_table("product_values").to_pylist()
    first = {(r["attribute_code"], r["locale"]): json.loads(r["data"])
             for r in rows if r["product_uuid"] == product_uuid(1)}
    assert ("description", "en_US") not in first and first[("name", "en_US")] == "Top 1 r1"
    assert len(first) == VALUES_PER_REVISED_PRODUCT
    assert sum(r["product_uuid"] == product_uuid(2) for r in rows) == VALUES_PER_PRODUCT
    assert store.get_cursor("products") == "c2"


def test_an_older_copy_never_overwrites_a_newer_one(store: Store) -> None:
    store.load_entities("products", [[product(1, revision=1)]], run_id="a", next_cursor="c1")
    newer = _stable(store, "products"), _stable(store, "product_values")
    store.load_entities("products", [[product(1, revision=0)]], run_id="b", next_cursor="c2")
    assert (_stable(store, "products"), _stable(store, "product_values")) == newer
    models = [product_model("m1", revision=1), product_model("m1", revision=0)]  # same page, newest first
    store.load_entities("product_models", [models], run_id="c", next_cursor=None)
    stored = [json.loads(r["raw"])["updated"] for r in store.read_table("product_models").to_pylist()]
    assert stored == [models[0]["updated"]]
    assert store.table_rows("product_model_values") == 2
    assert store.get_cursor("product_models") is None


def test_a_snapshot_replaces_its_table_and_a_failed_read_replaces_nothing(store: Store) -> None:
    store.load_catalog("locales", [CATALOG["locales"]], run_id="a")
    store.load_catalog("locales", [[{"code": "de_DE", "enabled": True}]], run_id="b")
    assert [r["code"] for r in store.read_table("locales").to_pylist()] == ["de_DE"]

    def broken() -> Iterator[list[dict[str, Any]]]:
        yield [{"code": "it_IT", "enabled": True}]
        raise ConnectionError("Akeneo went away")

    with pytest.raises(ConnectionError):
        store.load_catalog("locales", broken(), run_id="c")
    assert [r["code"] for r in store.read_table("locales").to_pylist()] == ["de_DE"]
    assert not (store.parquet_dir / "locales" / "run=c").exists()
    assert [p.name for p in (store.parquet_dir / "locales").iterdir()] != []
    assert not [p for p in (store.parquet_dir / "locales").iterdir() if p.name.startswith(".")]


def test_catalog_snapshot_keeps_first_copy_of_a_repeated_code(store: Store) -> None:
    result = store.load_catalog("currencies", [CATALOG["currencies"], CATALOG["currencies"][:1]], run_id="a")
    assert result.rows == 2 == store.table_rows("currencies")


def test_values_of_unicode_and_quoted_codes_round_trip(store: Store) -> None:
    store.load_entities("product_models", [[product_model('m "1" été')]], run_id="a", next_cursor="x")
    rows = store.read_table("product_model_values").to_pylist()
    assert {r["product_model_code"] for r in rows} == {'m "1" été'}
    assert json.loads(store.read_table("product_models").to_pylist()[0]["categories"]) == ["summer_collection"]
