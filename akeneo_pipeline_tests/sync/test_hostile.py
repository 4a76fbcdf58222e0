"""Hostile catalog data end to end (sandbox -> client -> Parquet and warehouse -> picklist diff):
codes with quotes, spaces, SQL keywords, path pieces and unicode; very long labels; null and
odd locales and scopes; 10,000 options on one attribute; values of unexpected types. Every code
round-trips byte for byte on DuckDB and PostgreSQL, and none reaches a file path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.pipeline import Proof, assert_matches_sandbox, run_pipeline
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from akeneo_pipeline_tests.fixtures.warehouse import dialect

Factory = Callable[..., SandboxServer]
CODES = ["o'neil", 'say "hi"', "with space", "select", "DROP TABLE akeneo.products; --", "größe_✓", "日本語",
         "emoji_🎉", "back\\slash", "../../etc/passwd", "100%_pure", "$1 :param ?", "tab\there", "a" * 255]
SIMPLE = "color'); DROP TABLE products;--"
MULTI = "größe ✓ \"multi\""
BIG = "big picklist"
LONG_LABEL = "Très long libellé ✓ " * 5_000  # 100,000 characters
SAFE_PATH = re.compile(r"^[A-Za-z0-9_.=:/-]+$")

# Values the generator never makes: hostile attribute codes, null and odd locales and scopes,
# and data of types its attribute does not promise.
HOSTILE_VALUES: dict[str, list[Any]] = {
    SIMPLE: [{"locale": None, "scope": None, "data": "o'neil"}],
    MULTI: [{"locale": None, "scope": None, "data": ["select", "日本語", "../../etc/passwd"]}],
    "name": [{"locale": None, "scope": None, "data": 12345}],
    "weight": [{"locale": None, "scope": None, "data": "not a metric"}],
    "eco_friendly": [{"locale": None, "scope": None, "data": {"nested": [1, 2.5, None, True, "x'y"]}}],
    "rating": [{"locale": None, "scope": None, "data": 2 ** 70}],
    "release_date": [{"locale": None, "scope": None, "data": None}],
    "description": [{"locale": "fr'FR", "scope": 'ecommerce"; --', "data": LONG_LABEL},
                    {"locale": "en_US", "scope": None, "data": ""},
                    {"locale": None, "scope": "print", "data": []}],
}


def make_hostile(server: SandboxServer) -> list[str]:
    catalog = server.catalog
    catalog.add_attribute(SIMPLE, "pim_catalog_simpleselect")
    catalog.add_attribute(MULTI, "pim_catalog_multiselect", localizable=True, scopable=True)
    catalog.add_attribute(BIG, "pim_catalog_simpleselect")
    for n, code in enumerate(CODES):
        catalog.add_option(SIMPLE, code, {"en_US": code, "fr_FR": LONG_LABEL if n == 0 else f"«{code}»"})
        catalog.add_option(MULTI, code, {"de_DE": f"{code} ü"})
        catalog.add_option("color", code, {"en_US": 'quote " and \' both'})
    catalog.add_options(BIG, {f"option {n:05d} ' \" ;": {"en_US": f"Option {n}", "ja_JP": f"選択肢 {n}"}
                              for n in range(10_000)})
    uuids = [p["uuid"] for p in catalog.iter_products()][:3]
    for uuid in uuids:
        catalog.override_values(uuid, HOSTILE_VALUES)
    return uuids


def picklist(store: Store, table: str) -> list[dict]:
    return sorted(store.read_table(table).to_pylist(), key=lambda r: (r["attribute_code"], r["option_code"] or ""))


@pytest.mark.slow
def test_hostile_codes_labels_and_values_round_trip_exactly(
    sandbox_factory: Factory, warehouse_url: str, tmp_path: Path
) -> None:
    server = sandbox_factory(products=120, seed=9)
    settings = settings_for(server, page_size=100)
    store = Store(tmp_path / "data", warehouse_url, batch_rows=40)
    proof = Proof(f"hostile data, {dialect(warehouse_url)}")
    run_pipeline(settings, store, "night-1")  # the picklist baseline

    hostile_products = make_hostile(server)
    run_pipeline(settings, store, "night-2")
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)

    # Picklists: every option of every select attribute, codes byte for byte, the 10,000 included.
    options = [o for o in server.catalog.items("attribute_options")]
    current = picklist(store, "picklist_current")
    assert sorted((r["attribute_code"], r["option_code"]) for r in current) == \
        sorted((o["attribute"], o["code"]) for o in options)
    assert sum(r["attribute_code"] == BIG for r in current) == 10_000
    added = {(r["attribute_code"], r["option_code"]) for r in picklist(store, "picklist_changes")
             if r["change_type"] == "added"}
    assert {(SIMPLE, code) for code in CODES} | {("color", code) for code in CODES} <= added
    proof.rows_compared += len(current)

    # Relabel and remove hostile options: the changes name them exactly.
    server.catalog.relabel_option(SIMPLE, "o'neil", "en_US", 'new "label"; --')
    server.catalog.remove_option(MULTI, "../../etc/passwd")
    server.catalog.override_values(hostile_products[0], {"name": [{"locale": None, "scope": None, "data": "ok"}]})
    run_pipeline(settings, store, "night-3")
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    changes = [r for r in picklist(store, "picklist_changes") if r["run_id"] == "night-3"]
    assert sorted((r["change_type"], r["attribute_code"], r["option_code"]) for r in changes) == \
        [("relabeled", SIMPLE, "o'neil"), ("removed", MULTI, "../../etc/passwd")]
    assert [r["new_label"] for r in changes if r["change_type"] == "relabeled"] == ['new "label"; --']
    proof.runs += 3

    # Files are named after streams and run ids only: no code ever becomes a path.
    written = [p.relative_to(store.data_dir).as_posix() for p in store.data_dir.rglob("*")]
    assert written and all(SAFE_PATH.match(path) for path in written), [p for p in written if not SAFE_PATH.match(p)]
    assert not (tmp_path / "etc").exists() and not (store.data_dir.parent / "etc").exists()
    proof.report()



@pytest.mark.parametrize("data", ["nul \u0000 byte", {"k\u0000": "v"}], ids=["in-text", "in-key"])
def test_nul_characters_never_stop_a_stream(
    sandbox_factory: Factory, warehouse_url: str, tmp_path: Path, data: object
) -> None:
    """Akeneo text may hold U+0000, which PostgreSQL cannot store in text or jsonb. DuckDB and
    Parquet keep it exactly; PostgreSQL gets U+FFFD in its place instead of failing the batch
    on every run."""
    server = sandbox_factory(products=30, seed=9)
    store = Store(tmp_path / "data", warehouse_url)
    [uuid] = [p["uuid"] for p in server.catalog.iter_products()][:1]
    server.catalog.override_values(uuid, {"name": [{"locale": None, "scope": None, "data": data}]})
    run_pipeline(settings_for(server), store, "night-1")
    if dialect(warehouse_url) == "duckdb":
        assert_matches_sandbox(store, server.catalog)
        return
    assert store.get_cursor("products") is not None
    assert store.table_rows("products") == len(list(server.catalog.iter_products()))
    [row] = [v for v in store.read_table("product_values").to_pylist()
             if v["product_uuid"] == uuid and v["attribute_code"] == "name"]
    assert json.loads(row["data"]) == json.loads(json.dumps(data).replace("\\u0000", "\\ufffd"))
    parquet_values = pq.read_table(store.parquet_dir / "product_values").to_pylist()
    assert any(v["product_uuid"] == uuid and json.loads(v["data"]) == data for v in parquet_values)
