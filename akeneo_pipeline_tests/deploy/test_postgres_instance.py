"""deploy/dagster.postgres.yaml as a production instance: `nightly` and the `akeneo_changes`
sensor run under a DagsterInstance loaded from it, against a PostgreSQL server the tests
start; runs, events, and the sensor's state land in PostgreSQL and outlive the instance."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import psycopg
import pytest
from dagster._core.scheduler.instigation import InstigatorStatus
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage
from sqlalchemy.engine import make_url

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
INSTANCE_YAML = ROOT / "deploy" / "dagster.postgres.yaml"


def instance_home(server: PostgresServer, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$DAGSTER_HOME with the deploy file as its dagster.yaml, its variables pointed at a new database."""
    url = make_url(server.new_database())
    monkeypatch.setenv("DAGSTER_PG_HOST", str(url.host))
    monkeypatch.setenv("DAGSTER_PG_PORT", str(url.port))
    monkeypatch.setenv("DAGSTER_PG_USERNAME", str(url.username))
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", str(url.password))
    monkeypatch.setenv("DAGSTER_PG_DB", str(url.database))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    home.mkdir(parents=True)
    shutil.copy(INSTANCE_YAML, home / "dagster.yaml")
    return home


def dagster_rows(table: str) -> int:
    conninfo = (f"host={os.environ['DAGSTER_PG_HOST']} port={os.environ['DAGSTER_PG_PORT']} "
                f"user={os.environ['DAGSTER_PG_USERNAME']} password={os.environ['DAGSTER_PG_PASSWORD']} "
                f"dbname={os.environ['DAGSTER_PG_DB']}")
    with psycopg.connect(conninfo) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # table: a literal of this file
    assert row is not None
    return int(row[0])


@pytest.mark.postgres
@pytest.mark.slow
def test_nightly_and_the_change_sensor_under_a_postgres_instance(
    postgres_server: PostgresServer, sandbox_factory: Callable[..., SandboxServer], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = sandbox_factory(products=40, seed=8)
    point_env_at(monkeypatch, sandbox, tmp_path / "data")
    home = instance_home(postgres_server, tmp_path / "dagster_home", monkeypatch)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.get()  # what every Dagster process does with DAGSTER_HOME set
    assert isinstance(instance.run_storage, PostgresRunStorage)
    assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(instance.schedule_storage, PostgresScheduleStorage)

    nightly = defs.resolve_job_def("nightly").execute_in_process(instance=instance, raise_on_error=False)
    assert nightly.success

    # The sensor as the daemon evaluates it: a baseline, then one request for a merchandiser's edit.
    sensor = defs.resolve_sensor_def("akeneo_changes")
    with dg.build_sensor_context(instance=instance, resources=defs.resources) as context:
        baseline = sensor.evaluate_tick(context)
    assert not baseline.run_requests
    sandbox.catalog.update_products(3)
    time.sleep(1.05 - time.time() % 1)  # the sensor judges only seconds that are over
    with dg.build_sensor_context(instance=instance, cursor=baseline.cursor, resources=defs.resources) as context:
        tick = sensor.evaluate_tick(context)
    [request] = tick.run_requests or []
    assert request.job_name == "products_refresh" and request.run_key
    refresh = defs.resolve_job_def("products_refresh").execute_in_process(
        instance=instance, tags={**request.tags, "dagster/run_key": request.run_key}, raise_on_error=False)
    assert refresh.success

    # Starting the sensor from the command line writes its state to schedule storage.
    started = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "sensor", "start", "akeneo_changes",
         "-m", "akeneo_pipeline.definitions"],
        capture_output=True, text=True, timeout=600, env=dict(os.environ), cwd=ROOT,
    )
    assert started.returncode == 0, (started.stdout + started.stderr)[-4000:]
    instance.dispose()

    # A new instance on the same file (another process, a restarted pod) sees everything.
    with dg.DagsterInstance.from_config(str(home)) as reopened:
        runs = {run.run_id: run for run in reopened.get_runs()}
        assert {nightly.run_id, refresh.run_id} <= set(runs)
        assert all(runs[r].status == dg.DagsterRunStatus.SUCCESS for r in (nightly.run_id, refresh.run_id))
        assert runs[refresh.run_id].tags["dagster/run_key"] == request.run_key
        products = reopened.get_latest_materialization_event(dg.AssetKey(["akeneo", "products"]))
        assert products is not None and products.run_id == refresh.run_id
        states = {state.instigator_name: state.status for state in reopened.all_instigator_state()}
        assert states.get("akeneo_changes") == InstigatorStatus.RUNNING
    assert dagster_rows("runs") >= 2 and dagster_rows("event_logs") > 100 and dagster_rows("instigators") >= 1
