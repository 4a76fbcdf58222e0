"""Integers beyond 64 bits survive exactly, from the sandbox's HTTP body to Parquet, DuckDB and
PostgreSQL, although the client parses pages with orjson (which would turn them into floats):
a page holding one is parsed with the standard library's `json` instead (akeneo/exact_json.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from akeneo_pipeline.akeneo import AkeneoClient, exact_json
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_catalog, sync_entities
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI, settings_for
from akeneo_pipeline_tests.fixtures.warehouse import dialect, query

Factory = Callable[..., SandboxServer]
BIG = 123456789012345678901234567890  # 30 digits: orjson.loads would give 1.2345678901234568e+29
NEGATIVE = -(2**64) - 1
EXACT_VALUES: dict[str, list[dict[str, Any]]] = {
    "rating": [{"locale": None, "scope": None, "data": BIG}],
    "weight": [{"locale": None, "scope": None, "data": {"amount": NEGATIVE, "unit": "GRAM"}}],
}


@pytest.mark.parametrize("body", [
    b'{"a": 123456789012345678901234567890}',
    b'[-18446744073709551617, 1]',
    b'123456789012345678901234567890',
    b'{"a":\n\t12345678901234567890, "b": 9223372036854775807}',
    b'{"code": "1234567890123456789012345", "n": 18446744073709551615}',  # a long digit string stays a string
    b'{"x": 1.12345678901234567890123, "y": 1e400, "z": -0.0}',
    b'[NaN, Infinity]',  # orjson refuses these; json accepts them
    b'\xef\xbb\xbf{"bom": 1}',
    b'{"lone": "\\ud800"}',
])
def test_exact_json_parses_like_the_standard_library(body: bytes) -> None:
    assert repr(exact_json.loads(body)) == repr(json.loads(body))


@pytest.mark.parametrize("body", [b"", b"{", b'{"a": 1,}', b"\xff\xfe\x00"])
def test_bodies_json_refuses_are_refused_alike(body: bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(body)
    with pytest.raises(type(expected.value)) as got:
        exact_json.loads(body)
    assert str(got.value) == str(expected.value)


def test_the_scan_finds_big_integers_only_where_numbers_start() -> None:
    assert exact_json.may_hold_big_integer(b'{"a": [1, -1234567890123456789]}')
    assert exact_json.may_hold_big_integer(b'{"a":1234567890123456789}')
    assert not exact_json.may_hold_big_integer(b'{"a": 123456789012345678}')  # 18 digits fit int64
    assert not exact_json.may_hold_big_integer(b'{"ean": "12345678901234567890"}')
    assert exact_json.may_hold_big_integer(b'{"ean": "12345678901234567890", "n": 12345678901234567890}')


def test_sandbox_pages_parse_alike(sandbox_api: SandboxAPI) -> None:
    response = sandbox_api.get("/api/rest/v1/products-uuid", limit=100, pagination_type="search_after")
    assert response.status_code == 200
    assert not exact_json.may_hold_big_integer(response.content)
    assert exact_json.loads(response.content) == json.loads(response.content)


def test_a_30_digit_integer_reaches_parquet_duckdb_and_postgresql_exactly(
    sandbox_factory: Factory, warehouse_url: str, tmp_path: Path
) -> None:
    server = sandbox_factory(products=250, seed=3)
    uuid = [p["uuid"] for p in server.catalog.iter_products()][120]
    server.catalog.override_values(uuid, EXACT_VALUES)
    store = Store(tmp_path / "data", warehouse_url)
    with AkeneoClient(settings_for(server, page_size=100)) as client:
        sync_catalog(client, store, "attributes", run_id="run-1")
        loaded = sync_entities(client, store, "products", run_id="run-1").load
    assert loaded.rows == 250

    def exact(texts: list[str]) -> None:
        by_attribute = dict(zip(("rating", "weight"), texts, strict=True))
        assert json.loads(by_attribute["rating"]) == BIG and str(BIG) in by_attribute["rating"]
        assert json.loads(by_attribute["weight"])["amount"] == NEGATIVE
        assert type(json.loads(by_attribute["rating"])) is int

    parquet = [v for v in pq.read_table(store.parquet_dir / "product_values").to_pylist()
               if v["product_uuid"] == uuid and v["attribute_code"] in EXACT_VALUES]
    exact([v["data"] for v in sorted(parquet, key=lambda v: v["attribute_code"])])
    [raw] = [p["raw"] for p in pq.read_table(store.parquet_dir / "products").to_pylist() if p["uuid"] == uuid]
    assert json.loads(raw)["values"]["rating"][0]["data"] == BIG

    as_text = "CAST(data AS VARCHAR)" if dialect(warehouse_url) == "duckdb" else "data::text"
    rows = query(warehouse_url, f"SELECT attribute_code, {as_text} AS data FROM akeneo.product_values "
                                "WHERE product_uuid = :u AND attribute_code IN ('rating', 'weight') "
                                "ORDER BY attribute_code", {"u": uuid})
    exact([r["data"] for r in rows])
    raw_text = "CAST(raw AS VARCHAR)" if dialect(warehouse_url) == "duckdb" else "raw::text"
    [stored] = query(warehouse_url, f"SELECT {raw_text} AS raw FROM akeneo.products WHERE uuid = :u", {"u": uuid})
    assert json.loads(stored["raw"])["values"]["rating"][0]["data"] == BIG
