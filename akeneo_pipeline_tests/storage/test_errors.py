"""Failures that must be clear and harmless: warehouse down or locked, bad password, unwritable
data directory, a warehouse error mid-load. Cursors never move; secrets never show."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

import pyarrow as pa
import pytest
from sqlalchemy.engine import make_url

from akeneo_pipeline.storage import (
    DataDirError, Store, Warehouse, WarehouseError, WarehouseUnavailableError, json_field,
)
from akeneo_pipeline.storage.schemas import TIMESTAMP
from akeneo_pipeline_tests.fixtures.postgres import PG_PASSWORD
from akeneo_pipeline_tests.storage_items import pages, product, store, warehouse_url  # noqa: F401  (fixtures)


def test_unwritable_data_dir_fails_before_anything_is_written(tmp_path, warehouse_url: str) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    store = Store(blocker / "data", warehouse_url)
    with pytest.raises(DataDirError, match=str(blocker / "data" / "parquet")):
        store.load_incremental("products", [[product(1)]], run_id="a", next_cursor="c")
    assert not store.warehouse.table_exists("products")


def test_warehouse_error_mid_load_rolls_back_and_keeps_the_cursor(store: Store) -> None:
    store.set_cursor("products", "old")

    def pages_then_sabotage():
        yield [product(i) for i in range(4)]
        store.warehouse.execute(f"DROP TABLE {store.warehouse.table('product_values')}")
        yield [product(i) for i in range(4, 8)]

    with pytest.raises(WarehouseError) as raised:
        store.load_incremental("products", pages_then_sabotage(), run_id="a", next_cursor="new")
    assert "load products batch failed and was rolled back" in str(raised.value)
    assert store.get_cursor("products") == "old"
    assert store.table_rows("products") == 4  # the second batch's upsert was rolled back with it


def test_duckdb_file_locked_by_another_process(tmp_path) -> None:
    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
         "time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = Store(tmp_path / "data", f"duckdb:///{path}")
        with pytest.raises(WarehouseUnavailableError, match="lock") as raised:
            store.load_incremental("products", [[product(1)]], run_id="a", next_cursor="c")
        assert str(path) in str(raised.value)
        assert not list((tmp_path / "data").rglob("*.parquet"))
    finally:
        holder.kill()
        holder.wait()
    assert Store(tmp_path / "data", f"duckdb:///{path}").get_cursor("products") is None  # usable once released


def test_duckdb_path_that_cannot_exist(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WarehouseUnavailableError, match="unavailable"):
        Store(tmp_path / "data", f"duckdb:///{tmp_path / 'file' / 'w.duckdb'}").get_cursor("products")


@pytest.mark.postgres
def test_postgres_down_gives_a_clear_error_and_keeps_the_cursor(postgres_server, postgres_url: str, tmp_path) -> None:
    store = Store(tmp_path / "data", postgres_url)
    store.set_cursor("products", "before")
    postgres_server.stop()
    try:
        with pytest.raises(WarehouseUnavailableError) as raised:
            store.load_incremental("products", [[product(1)]], run_id="a", next_cursor="after")
    finally:
        postgres_server.start()
    message = str(raised.value)
    assert make_url(postgres_url).render_as_string(hide_password=True) in message and "***" in message
    assert PG_PASSWORD not in message and PG_PASSWORD not in repr(raised.value)
    assert raised.value.__cause__ is None and PG_PASSWORD not in str(raised.value.__context__)
    assert store.get_cursor("products") == "before"
    assert store.table_rows("products") == 0


@pytest.mark.postgres
def test_postgres_bad_password_is_masked(postgres_url: str, tmp_path) -> None:
    wrong = make_url(postgres_url).set(password="wrong-secret-42").render_as_string(hide_password=False)
    with pytest.raises(WarehouseUnavailableError) as raised:
        Store(tmp_path / "data", wrong).get_cursor("products")
    assert "wrong-secret-42" not in str(raised.value) and "password authentication failed" in str(raised.value)
    assert "wrong-secret-42" not in repr(Store(tmp_path / "data", wrong))


def test_generic_primitives_quote_names_and_bind_data(warehouse_url: str) -> None:
    warehouse = Warehouse(warehouse_url, schema="akeneo")
    name = 'picklist "changes"; DROP'
    schema = pa.schema([pa.field("attribute_code", pa.string()), pa.field("code", pa.string()),
                        json_field("labels"), pa.field("seen_at", TIMESTAMP), pa.field("n", pa.int64())])
    warehouse.create_table(name, schema, primary_key=("attribute_code", "code"))
    warehouse.create_table(name, schema, primary_key=("attribute_code", "code"))  # idempotent
    at = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    rows = [{"attribute_code": "color", "code": "o'neil", "labels": '{"en_US": "O\'Neil"}', "seen_at": at, "n": 1},
            {"attribute_code": "color", "code": "red", "labels": None, "seen_at": at, "n": 2}]
    assert warehouse.append(name, pa.Table.from_pylist(rows, schema)) == 2
    update = [rows[0] | {"n": 10, "labels": '{"en_US": "changed"}'}, {**rows[1], "code": "blue", "n": 3}]
    warehouse.upsert(name, pa.Table.from_pylist(update, schema), key=("attribute_code", "code"))
    table = warehouse.read_table(name, schema, order_by=("code",))
    assert [(r["code"], r["n"]) for r in table.to_pylist()] == [("blue", 3), ("o'neil", 10), ("red", 2)]
    assert table.to_pylist()[1]["seen_at"] == at
    found = warehouse.query(f"SELECT code FROM {warehouse.table(name)} WHERE code = :c", {"c": "o'neil"})
    assert found == [{"code": "o'neil"}]
    warehouse.replace(name, pa.Table.from_pylist(rows[1:], schema))
    assert warehouse.table_rows(name) == 1
    with pytest.raises(ValueError, match="repeats keys"):
        warehouse.upsert(name, pa.Table.from_pylist(rows + rows, schema), key=("attribute_code", "code"))
    with pytest.raises(WarehouseError, match="append to"):
        warehouse.append(name, pa.Table.from_pylist(rows[1:], schema))  # duplicate primary key
    assert warehouse.table_rows(name) == 1
