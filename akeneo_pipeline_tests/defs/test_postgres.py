"""`nightly` on PostgreSQL: the same Definitions, only WAREHOUSE_URL changes. dbt
reaches the same database, and the database password stays out of Dagster's
event log and run records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from dagster._serdes import serialize_value
from sqlalchemy.engine import make_url

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.dagster import materializations
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.warehouse import query


def test_nightly_on_postgres(
    sandbox_factory: Callable[..., SandboxServer], postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from akeneo_pipeline.definitions import defs

    server: SandboxServer = sandbox_factory(products=40, seed=9)
    point_env_at(monkeypatch, server, tmp_path, warehouse_url=postgres_url)
    instance = dg.DagsterInstance.ephemeral()

    result = defs.resolve_job_def("nightly").execute_in_process(instance=instance, raise_on_error=False)

    assert result.success
    materialised = set(materializations(result))
    assert {"akeneo/products", "picklists/picklist_current", "dbt/dim_products"} <= materialised
    failed = [(e.asset_key.to_user_string(), e.check_name)
              for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == []
    store = Store.from_settings(StorageSettings())
    assert store.table_rows("products") == sum(1 for _ in server.catalog.iter_products())
    # dbt wrote its marts to the same database
    marts = query(postgres_url, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'dim_products'")
    assert marts == [{"n": 1}]
    password = make_url(postgres_url).password
    assert password
    texts = [serialize_value(instance.get_run_by_id(result.run_id))]
    texts += [serialize_value(entry) for entry in instance.all_logs(result.run_id)]
    assert not [text for text in texts if password in text]
