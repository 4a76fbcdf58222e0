"""Several Akeneo connections in one deployment (AKENEO_CONNECTIONS_FILE): two sandboxes at once,
both synced by one Definitions without interfering: each its own asset keys, jobs, pool, schema
(in one warehouse), Parquet directory and sensor cursor, with the right rows in each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.connections import ConnectionsFileError, connections_from_env, load_connections
from akeneo_pipeline.defs.deployment import build_definitions
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AutomationSettings
from akeneo_pipeline_tests.fixtures.env import SETTINGS_VARIABLES
from akeneo_pipeline_tests.fixtures.sensor import Ticker
from akeneo_pipeline_tests.fixtures.warehouse import query

CONNECTIONS = """\
connections:
  - name: eu
  - name: us
    env_prefix: PIM_US_
    schema: akeneo_america
    nightly_cron: "30 1 * * *"
"""


def _point(monkeypatch: pytest.MonkeyPatch, prefix: str, server: SandboxServer) -> None:
    creds = server.credentials
    monkeypatch.setenv(f"{prefix}BASE_URL", server.base_url)
    monkeypatch.setenv(f"{prefix}CLIENT_ID", creds["client_id"])
    monkeypatch.setenv(f"{prefix}CLIENT_SECRET", creds["client_secret"])
    monkeypatch.setenv(f"{prefix}USERNAME", creds["username"])
    monkeypatch.setenv(f"{prefix}PASSWORD", creds["password"])


def test_two_sandboxes_sync_side_by_side_into_two_schemas(
        sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eu = sandbox_factory(products=40, seed=11)
    us = sandbox_factory(products=70, seed=12)
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "akeneo_connections.yaml").write_text(CONNECTIONS)
    monkeypatch.setenv("AKENEO_CONNECTIONS_FILE", str(tmp_path / "akeneo_connections.yaml"))
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    monkeypatch.setenv("AKENEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAREHOUSE_URL", url)  # one warehouse, a schema per connection
    _point(monkeypatch, "AKENEO_EU_", eu)
    _point(monkeypatch, "PIM_US_", us)

    defs = build_definitions(AutomationSettings(), connections_from_env())  # what definitions.py builds
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"eu/akeneo/products", "us/akeneo/products", "eu/picklists/picklist_changes"} <= keys
    assert "akeneo/products" not in keys
    assert graph.get(dg.AssetKey(["us", "akeneo", "products"])).pools == {"akeneo_us"}
    assert graph.get(dg.AssetKey(["eu", "akeneo", "attributes"])).pools == {"akeneo_eu"}
    schedule = defs.resolve_schedule_def("us_nightly")
    assert schedule.cron_schedule == "30 1 * * *"

    instance = dg.DagsterInstance.ephemeral()
    for job in ("eu_nightly", "us_nightly"):
        result = defs.resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
        assert result.success, job
        selected = {e.materialization.asset_key.path[0] for e in result.get_asset_materialization_events()}
        assert selected == {job.split("_")[0]}  # a connection's nightly materialises its own assets only

    for schema, server in (("akeneo_eu", eu), ("akeneo_america", us)):
        stored = sorted(row["uuid"] for row in query(url, f"SELECT uuid FROM {schema}.products"))
        assert stored == sorted(p["uuid"] for p in server.catalog.iter_products()), schema
        options = query(url, f"SELECT COUNT(*) AS n FROM {schema}.attribute_options")[0]["n"]
        assert options == len(server.catalog.items("attribute_options"))
    assert list((tmp_path / "data" / "eu" / "parquet" / "products").glob("run=*/part-*.parquet"))
    assert list((tmp_path / "data" / "us" / "parquet" / "products").glob("run=*/part-*.parquet"))

    # Each connection's sensor watches its own PIM with its own cursor.
    eu_ticker = Ticker(defs, eu, defs.resolve_sensor_def("eu_akeneo_changes"))
    us_ticker = Ticker(defs, us, defs.resolve_sensor_def("us_akeneo_changes"))
    assert eu_ticker.tick() == [] and us_ticker.tick() == []
    us.catalog.update_products(3)
    assert us_ticker.tick(after_a_change=True) == ["us_products_refresh"]
    assert eu_ticker.tick() == []
    refresh = defs.resolve_job_def("us_products_refresh").execute_in_process(instance=instance, raise_on_error=False)
    assert refresh.success
    assert query(url, "SELECT COUNT(*) AS n FROM akeneo_eu.products")[0]["n"] == 40


def test_a_bad_connections_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "akeneo_connections.yaml"
    path.write_text("connections:\n  - name: eu\n  - name: EU-2\n")
    with pytest.raises(ConnectionsFileError, match=r"akeneo_connections.yaml: connections.1.name: name 'EU-2'"):
        load_connections(path)
    path.write_text("connections:\n  - name: eu\n  - name: us\n    schema: akeneo_eu\n")
    with pytest.raises(ConnectionsFileError, match="two connections share the schema 'akeneo_eu'"):
        load_connections(path)
    with pytest.raises(ConnectionsFileError, match="cannot read it"):
        load_connections(tmp_path / "missing.yaml")
    path.write_text("connections:\n  - name: brand_a\n")
    spec = load_connections(path)[0]
    assert (spec.env_prefix, spec.warehouse_schema, spec.parquet_prefix) == ("AKENEO_BRAND_A_", "akeneo_brand_a",
                                                                            "brand_a")


def test_a_connection_keeps_its_parquet_and_duckdb_file_under_its_own_prefix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from akeneo_pipeline.defs.resources import StorageResource

    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKENEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AKENEO_PARQUET_URL", "s3://bucket/akeneo/")
    settings = StorageResource(warehouse_schema="akeneo_eu", subdirectory="eu").settings()
    assert settings.data_dir == tmp_path / "data" / "eu"
    assert settings.parquet_url == "s3://bucket/akeneo/eu"
    assert settings.warehouse_schema == "akeneo_eu"
    assert settings.warehouse_url is not None
    assert settings.warehouse_url.get_secret_value() == f"duckdb:///{tmp_path / 'data' / 'eu' / 'warehouse.duckdb'}"
    single = StorageResource().settings()  # the single connection: as before
    assert (single.data_dir, single.parquet_url, single.warehouse_schema) == (
        tmp_path / "data", "s3://bucket/akeneo/", "akeneo")
