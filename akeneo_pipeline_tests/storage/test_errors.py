"""Failures that must be clear and harmless: warehouse down or locked, bad password, unwritable
data directory, a warehouse error mid-load. Cursors never move; secrets never show."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from akeneo_pipeline.storage import DataDirError, Store, WarehouseError, WarehouseUnavailableError
from akeneo_pipeline_tests.fixtures.items import product
from akeneo_pipeline_tests.fixtures.postgres import PG_PASSWORD, PostgresServer
from akeneo_pipeline_tests.fixtures.warehouse import execute, query


def test_unwritable_data_dir_fails_before_anything_is_written(tmp_path: Path, warehouse_url: str) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    store = Store(blocker / "data", warehouse_url)
    with pytest.raises(DataDirError, match=str(blocker / "data" / "parquet")):
        store.load_entities("products", [[product(1)]], run_id="a", next_cursor="c")
    found = query(warehouse_url, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'products'")
    assert found == [{"n": 0}]  # the tables were not even created


def test_warehouse_error_mid_load_rolls_back_and_keeps_the_cursor(store: Store, warehouse_url: str) -> None:
    store.load_entities("products", [], run_id="before", next_cursor="old")

    def pages_then_sabotage() -> Iterator[list[dict[str, Any]]]:
        yield [product(i) for i in range(4)]
        execute(warehouse_url, "DROP TABLE akeneo.product_values")  # a DBA, between two batches
        yield [product(i) for i in range(4, 8)]

    with pytest.raises(WarehouseError) as raised:
        store.load_entities("products", pages_then_sabotage(), run_id="a", next_cursor="new")
    assert "load products batch failed and was rolled back" in str(raised.value)
    assert store.get_cursor("products") == "old"
    assert store.table_rows("products") == 4  # the second batch's upsert was rolled back with it


def test_duckdb_file_locked_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('locked', flush=True); "
         "time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        store = Store(tmp_path / "data", f"duckdb:///{path}")
        with pytest.raises(WarehouseUnavailableError, match="lock") as raised:
            store.load_entities("products", [[product(1)]], run_id="a", next_cursor="c")
        assert str(path) in str(raised.value)
        assert not list((tmp_path / "data").rglob("*.parquet"))
    finally:
        holder.kill()
        holder.wait()
    assert Store(tmp_path / "data", f"duckdb:///{path}").get_cursor("products") is None  # usable once released


def test_duckdb_path_that_cannot_exist(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WarehouseUnavailableError, match="unavailable"):
        Store(tmp_path / "data", f"duckdb:///{tmp_path / 'file' / 'w.duckdb'}").get_cursor("products")


@pytest.mark.postgres
def test_postgres_down_gives_a_clear_error_and_keeps_the_cursor(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    store = Store(tmp_path / "data", postgres_url)
    store.load_entities("products", [], run_id="before", next_cursor="before")
    postgres_server.stop()
    try:
        with pytest.raises(WarehouseUnavailableError) as raised:
            store.load_entities("products", [[product(1)]], run_id="a", next_cursor="after")
    finally:
        postgres_server.start()
    message = str(raised.value)
    assert make_url(postgres_url).render_as_string(hide_password=True) in message and "***" in message
    assert PG_PASSWORD not in message and PG_PASSWORD not in repr(raised.value)
    assert raised.value.__cause__ is None and PG_PASSWORD not in str(raised.value.__context__)
    assert store.get_cursor("products") == "before"
    assert store.table_rows("products") == 0


@pytest.mark.postgres
def test_postgres_bad_password_is_masked(postgres_url: str, tmp_path: Path) -> None:
    wrong = make_url(postgres_url).set(password="wrong-secret-42").render_as_string(hide_password=False)
    with pytest.raises(WarehouseUnavailableError) as raised:
        Store(tmp_path / "data", wrong).get_cursor("products")
    assert "wrong-secret-42" not in str(raised.value) and "password authentication failed" in str(raised.value)
    assert "wrong-secret-42" not in repr(Store(tmp_path / "data", wrong))
