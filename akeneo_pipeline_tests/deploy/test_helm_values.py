"""deploy/helm/values.yaml gives Dagster a valid instance: the `dagster.yaml` the chart renders
from it loads as a DagsterInstance on a real PostgreSQL server (the test's, in place of the
cluster's), its K8sRunLauncher config passes dagster-k8s' schema, and its storage is the one
deploy/dagster.postgres.yaml documents. The Dockerfile builds the manifest in and serves the
module the values name."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._config import process_config
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster_k8s import K8sRunLauncher
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage
from sqlalchemy.engine import make_url

from akeneo_pipeline_tests.fixtures.helm import ROOT, load_values, render_instance
from akeneo_pipeline_tests.fixtures.postgres import PostgresServer


@pytest.mark.postgres
def test_the_chart_instance_loads_on_postgres(postgres_server: PostgresServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    values = load_values()
    url = make_url(postgres_server.new_database())
    values["postgresql"].update(postgresqlHost=url.host, postgresqlUsername=url.username,
                                postgresqlDatabase=url.database, service={"port": url.port})
    rendered = render_instance(values)
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(rendered))
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", str(url.password))  # what the chart sets from its Secret
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))

    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        assert instance.get_runs() == []  # the tables were created on the test's server
        launcher = instance.get_ref().run_launcher_data
        assert launcher is not None and launcher.class_name == "K8sRunLauncher"

    # The launcher itself needs a cluster to start; its config is checked against its schema.
    for name in ("DAGSTER_K8S_INSTANCE_CONFIG_MAP", "DAGSTER_K8S_PG_PASSWORD_SECRET",
                 "DAGSTER_K8S_PIPELINE_RUN_ENV_CONFIGMAP"):
        monkeypatch.setenv(name, "set-by-the-chart")
    checked = process_config(K8sRunLauncher.config_type(), rendered["run_launcher"]["config"])
    assert checked.success, checked.errors
    assert checked.value is not None and checked.value["env_secrets"] == ["akeneo-pipeline-env"]


def test_the_chart_and_the_documented_instance_store_alike() -> None:
    rendered = render_instance(load_values())
    documented = yaml.safe_load((ROOT / "deploy" / "dagster.postgres.yaml").read_text())
    for section in ("run_storage", "event_log_storage", "schedule_storage", "run_coordinator", "scheduler"):
        assert rendered[section]["class"] == documented[section]["class"], section
    assert rendered["run_storage"]["config"]["postgres_db"]["scheme"] == (
        documented["run_storage"]["config"]["postgres_db"]["scheme"])
    assert "max_concurrent_runs" not in str(rendered)  # no limit on the whole instance
    # one run at a time per pool (an Akeneo connection's), as the repository's dagster.yaml says
    local = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert rendered["concurrency"] == documented["concurrency"] == local["concurrency"]


def test_the_image_serves_the_module_the_values_name_with_its_manifest_built_in() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    [deployment] = load_values()["dagster-user-deployments"]["deployments"]
    module = deployment["dagsterApiGrpcArgs"][deployment["dagsterApiGrpcArgs"].index("-m") + 1]
    assert module == "akeneo_pipeline.definitions"
    assert f'"-m", "{module}"' in dockerfile and f'"{deployment["port"]}"' in dockerfile
    assert "dagster-dbt project prepare-and-package --file akeneo_pipeline/defs/dbt.py" in dockerfile
    assert "'.[k8s]'" in dockerfile  # dagster-k8s for the runs' pods
