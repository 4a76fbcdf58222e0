"""`dbt build` on a warehouse loaded from a small sandbox catalog, on DuckDB and on
PostgreSQL; the marts' rows are checked against the catalog's ground truth.

One build per backend (they cost seconds); each test asserts on several marts.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from akeneo_pipeline.defs.dbt import DBT_PROJECT_DIR, dbt_env
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline_tests.fixtures.dbt_run import dbt_build
from akeneo_pipeline_tests.fixtures.loaded import expected_picklist_changes, load_catalog

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


# A product whose values spell options in another case than their codes, as Akeneo allows
# (pim-community-dev issue 12100, PR 16751): the marts must still find the options.
CASE_VALUES: dict[str, list[Any]] = {"color": [{"locale": None, "scope": None, "data": "Red"}],
               "material": [{"locale": None, "scope": None, "data": ["WOOL", "wool", "Cotton"]}]}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog = Catalog(SandboxConfig(products=30, seed=7))
    second = list(catalog.iter_products())[1]["uuid"]  # the first is soft-deleted by load_catalog
    catalog.override_values(second, CASE_VALUES)
    return catalog


def expected_select_values(catalog: Catalog, deleted: str) -> set[tuple]:
    types = {a["code"]: a["type"] for a in catalog.items("attributes")}
    labels = {(o["attribute"], o["code"]): o["labels"] for o in catalog.items("attribute_options")}
    spelled = {(attribute, code.lower()): code for attribute, code in labels}  # codes match in any case
    locales = [loc["code"] for loc in catalog.items("locales") if loc["enabled"]]
    rows = set()
    for product in catalog.iter_products():
        if product["uuid"] == deleted:
            continue
        for attribute, entries in product["values"].items():
            if types.get(attribute) not in SELECT_TYPES:
                continue
            for entry in entries:
                codes = entry["data"] if isinstance(entry["data"], list) else [entry["data"]]
                for code in codes:
                    code = spelled.get((attribute, code.lower()), code)
                    for locale in locales:
                        label = labels.get((attribute, code), {}).get(locale)
                        rows.add((product["uuid"], attribute, entry["locale"], entry["scope"], code, locale, label))
    return rows


def check_marts(warehouse_url: str, catalog: Catalog, deleted: str) -> None:
    engine = create_engine(warehouse_url)
    try:
        with engine.connect() as conn:
            def rows(sql: str) -> list[tuple]:
                return [tuple(r) for r in conn.execute(text(sql))]

            families = {f["code"]: f["labels"].get("en_US") for f in catalog.items("families")}
            identifier = next(a["code"] for a in catalog.items("attributes") if a["type"] == "pim_catalog_identifier")
            expected_products = {
                (p["uuid"], p["values"][identifier][0]["data"], p["family"],
                 families.get(p["family"]), p["parent"], p["enabled"])
                for p in catalog.iter_products() if p["uuid"] != deleted
            }
            dim = rows("select product_uuid, identifier, family_code, family_label, parent_code, is_enabled "
                       "from analytics.dim_products")
            assert len(dim) == len(expected_products) == 29
            assert set(dim) == expected_products

            expected_values = expected_select_values(catalog, deleted)
            values = rows("select product_uuid, attribute_code, locale_code, channel_code, option_code, "
                          "label_locale_code, option_label from analytics.product_select_values")
            assert len(values) == len(expected_values) > 0
            assert set(values) == expected_values
            assert any(r[1] == "material" for r in values), "multiselect values are unnested"
            cased = list(catalog.iter_products())[1]["uuid"]
            mine = {(r[1], r[4], r[5]): r[6] for r in values if r[0] == cased and r[1] in CASE_VALUES}
            assert mine[("color", "red", "fr_FR")] == "Rouge"  # the value says `Red`
            assert {code for attribute, code, _ in mine if attribute == "material"} == {"wool", "cotton"}

            history = rows("select change_id, change_type, attribute_code, option_code, new_label "
                           "from analytics.picklist_change_history order by change_id")
            assert [(r[0], r[1]) for r in history] == expected_picklist_changes(catalog)
            assert {r[1] for r in history} >= {"attribute_added", "added", "relabeled", "removed"}
            assert ("relabeled", "Relabeled") in {(r[1], r[4]) for r in history}
    finally:
        engine.dispose()


def test_dbt_build_on_duckdb(catalog: Catalog, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    deleted = load_catalog(url, catalog, tmp_path / "data")
    result = dbt_build(url, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout
    check_marts(url, catalog, deleted)


@pytest.mark.postgres
def test_dbt_build_on_postgres(catalog: Catalog, postgres_url: str, tmp_path: Path) -> None:
    deleted = load_catalog(postgres_url, catalog, tmp_path / "data")
    result = dbt_build(postgres_url, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout
    password = postgres_url.split("@")[0].rsplit(":", 1)[-1]
    assert password not in result.stdout + result.stderr
    assert password not in (tmp_path / "logs" / "dbt.log").read_text()
    check_marts(postgres_url, catalog, deleted)


def _freshness_status(age_s: float) -> str:
    """What _sources.yml declares for products and product models: warn after a day, error after three."""
    day = 86400
    return "pass" if age_s < day else "warn" if age_s < 3 * day else "error"


def test_source_freshness_reads_the_newest_updated(catalog: Catalog, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    load_catalog(url, catalog, tmp_path / "data")
    env = {**os.environ, **dbt_env(StorageSettings(WAREHOUSE_URL=url))}
    done = subprocess.run(
        ["dbt", "source", "freshness", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, timeout=300,
    )
    results = {r["unique_id"].rsplit(".", 1)[-1]: r
               for r in json.loads((tmp_path / "target" / "sources.json").read_text())["results"]}
    assert set(results) == {"products", "product_models"}, done.stdout[-4000:]  # only those declare freshness
    newest = {"products": max(p["updated"] for p in catalog.iter_products()),
              "product_models": max(m["updated"] for m in catalog.iter_product_models())}
    for table, result in results.items():
        assert datetime.fromisoformat(result["max_loaded_at"]) == datetime.fromisoformat(newest[table]), table
        assert result["status"] == _freshness_status(result["max_loaded_at_time_ago_in_s"]), table
    # dbt exits non-zero when a source is past error_after, as a CI gate would want.
    assert (done.returncode == 0) == all(r["status"] != "error" for r in results.values()), done.stdout[-4000:]
