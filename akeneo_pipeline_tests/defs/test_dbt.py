"""The dbt project as Dagster sees it: one graph from the Python assets to the marts,
dbt tests as asset checks, a real materialization, and dbt's environment derived
from WAREHOUSE_URL without leaking the password."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.defs.dbt import DBT_GROUP, build_dbt_assets, dbt_env, dbt_environ, dbt_resource
from akeneo_pipeline.defs.resources import StorageResource
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline_tests.fixtures.dagster import materializations
from akeneo_pipeline_tests.fixtures.loaded import load_catalog

PYTHON_ASSET_KEYS = {
    *(f"akeneo/{t}" for t in ("channels", "locales", "currencies", "attribute_groups", "attributes", "families",
                             "family_variants", "categories", "association_types", "measurement_families",
                             "attribute_options", "products", "product_models")),
    "picklists/picklist_changes",
    "picklists/picklist_current",
    # the Enterprise and Growth tables' staging models (records and assets carry their values tables)
    *(f"akeneo/{t}" for t in ("reference_entities", "reference_entity_attributes",
                             "reference_entity_attribute_options", "reference_entity_records", "asset_families",
                             "asset_family_attributes", "asset_family_attribute_options", "assets",
                             "table_attribute_columns", "table_select_options")),
}
MARTS = {"dbt/dim_products", "dbt/product_select_values", "dbt/picklist_change_history"}


def test_duckdb_url_gives_duckdb_target_with_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = dbt_env(StorageSettings(WAREHOUSE_URL="duckdb:///data/w.duckdb", WAREHOUSE_SCHEMA="pim"))
    assert env == {"WAREHOUSE_SCHEMA": "pim", "DBT_TARGET": "duckdb",
                   "DBT_DUCKDB_PATH": str(tmp_path / "data" / "w.duckdb")}


def test_postgres_url_gives_postgres_target_and_hides_password() -> None:
    env = dbt_env(StorageSettings(WAREHOUSE_URL="postgresql+psycopg://ana:s3cr%40t@db.example:6543/pim"))
    assert env["DBT_TARGET"] == "postgres"
    assert (env["DBT_PG_HOST"], env["DBT_PG_PORT"], env["DBT_PG_USER"], env["DBT_PG_DBNAME"]) == (
        "db.example", "6543", "ana", "pim")
    assert env["DBT_ENV_SECRET_PG_PASSWORD"] == "s3cr@t"  # URL-decoded, in the variable dbt scrubs
    assert "s3cr" not in repr(env) and "s3cr" not in str(env)


def test_in_memory_duckdb_is_refused_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match="WAREHOUSE_URL points at an in-memory DuckDB"):
        dbt_env(StorageSettings(WAREHOUSE_URL="duckdb:///:memory:"))


def test_dbt_environ_restores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET", "before")
    monkeypatch.delenv("DBT_PG_HOST", raising=False)
    with dbt_environ({"DBT_TARGET": "postgres", "DBT_PG_HOST": "h"}):
        assert (os.environ["DBT_TARGET"], os.environ["DBT_PG_HOST"]) == ("postgres", "h")
    assert os.environ["DBT_TARGET"] == "before" and "DBT_PG_HOST" not in os.environ


def test_one_graph_from_python_assets_to_marts() -> None:
    assets = build_dbt_assets()
    keys = {k.to_user_string() for k in assets.keys}
    assert keys >= MARTS and all(k.startswith("dbt/") for k in keys)
    assert set(assets.group_names_by_key.values()) == {DBT_GROUP}
    upstream = {d.to_user_string() for deps in assets.asset_deps.values() for d in deps} - keys
    assert upstream == PYTHON_ASSET_KEYS
    staging_deps = {d.to_user_string() for d in assets.asset_deps[dg.AssetKey(["dbt", "stg_akeneo__product_values"])]}
    assert staging_deps == {"akeneo/products"}
    record_values = dg.AssetKey(["dbt", "stg_akeneo__reference_entity_record_values"])
    assert {d.to_user_string() for d in assets.asset_deps[record_values]} == {"akeneo/reference_entity_records"}
    checks = {(c.asset_key.to_user_string(), c.name) for c in assets.check_specs}
    assert ("dbt/dim_products", "unique_dim_products_product_uuid") in checks
    assert any(k == "dbt/picklist_change_history" and n.startswith("accepted_values_") for k, n in checks)


def test_materialize_runs_dbt_build_with_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    load_catalog(url, Catalog(SandboxConfig(products=10, seed=11)), tmp_path / "data")
    monkeypatch.setenv("WAREHOUSE_URL", url)
    for name in ("DBT_DUCKDB_PATH", "DBT_TARGET"):
        monkeypatch.delenv(name, raising=False)

    result = dg.materialize([build_dbt_assets()], resources={"dbt": dbt_resource(), "storage": StorageResource()},
                            raise_on_error=False)

    assert result.success
    metadata = materializations(result)
    assert set(metadata) >= MARTS
    for mart in MARTS:  # tables: row counts and column schemas (staging views get schemas only)
        assert metadata[mart]["dagster/row_count"] >= 0, mart
        assert metadata[mart]["dagster/column_schema"].columns, mart
    dim_columns = {c.name: c.type for c in metadata["dbt/dim_products"]["dagster/column_schema"].columns}
    assert {"product_uuid", "identifier", "family_code", "is_enabled"} <= set(dim_columns)
    assert metadata["dbt/dim_products"]["dagster/row_count"] == 9  # 10 products, one soft-deleted
    assert metadata["dbt/stg_akeneo__products"]["dagster/column_schema"].columns
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) > 40
    assert all(e.passed for e in evaluations), [e.check_name for e in evaluations if not e.passed]
    assert "DBT_TARGET" not in os.environ  # dbt's variables did not outlive the step


def test_every_dbt_source_is_an_asset_of_the_pipeline() -> None:
    """Key drift between dbt sources and the Python assets would leave the graph in two pieces."""
    from akeneo_pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    sources = {d for deps in build_dbt_assets().asset_deps.values() for d in deps if d.path[0] != DBT_GROUP}
    assert sources and all(graph.get(key).is_materializable for key in sources)
    assert all(graph.get(key).group_name == DBT_GROUP for key in graph.get_all_asset_keys() if key.path[0] == "dbt")
