"""Concurrency the Dagster way: the assets that call Akeneo sit in the connection's pool, and the
project's dagster.yaml admits one run per pool (run granularity), so two runs of one connection
never share its 4 calls while a run of another code location, with no pool, is never queued
behind them. The queue is judged by Dagster's own run-queue daemon logic on an instance built
from the project's dagster.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef
from dagster._core.remote_origin import InProcessCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

from akeneo_pipeline.defs.keys import AKENEO_POOL
from akeneo_pipeline.settings import AkeneoSettings

PROJECT = Path(__file__).resolve().parents[2]


@dg.asset
def another_teams_table() -> None:
    """An asset of another code location: no pool."""


other_location_job = dg.define_asset_job("other_team_job", selection=[another_teams_table])
other_defs = dg.Definitions(assets=[another_teams_table], jobs=[other_location_job])


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    """The instance `dagster dev` builds in the project directory: its dagster.yaml, storage in tmp_path."""
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path), config_dir=str(PROJECT))) as instance:
        yield instance


def _origin(location: str, module: str, job: dg.JobDefinition) -> RemoteJobOrigin:
    code_location = InProcessCodeLocationOrigin(LoadableTargetOrigin(module_name=module, attribute="defs"),
                                                location_name=location)
    return RemoteJobOrigin(RemoteRepositoryOrigin(code_location, "__repository__"), job.name)


def _run(instance: dg.DagsterInstance, location: str, module: str, job: dg.JobDefinition,
         status: dg.DagsterRunStatus) -> DagsterRun:
    """A run as the webserver or a sensor submits it: queued, then possibly started by the daemon."""
    run = instance.create_run_for_job(job_def=job, status=dg.DagsterRunStatus.NOT_STARTED,
                                      remote_job_origin=_origin(location, module, job))
    instance.handle_run_event(run.run_id, dg.DagsterEvent(dg.DagsterEventType.RUN_ENQUEUED.value,
                                                          job_name=run.job_name))
    if status == dg.DagsterRunStatus.STARTED:
        instance.handle_run_event(run.run_id, dg.DagsterEvent(dg.DagsterEventType.RUN_START.value,
                                                              job_name=run.job_name))
    return run


def _dequeued(instance: dg.DagsterInstance) -> set[str]:
    """The queued runs Dagster's run queue daemon would launch now."""
    daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
    return {run.run_id for run in daemon._get_runs_to_dequeue(instance, instance.get_concurrency_config(), None)}


def test_every_asset_that_calls_akeneo_is_in_the_connection_pool() -> None:
    from akeneo_pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    pooled = {key.to_user_string() for key in graph.get_all_asset_keys()
              if graph.get(key).pools == {AKENEO_POOL}}
    assert {"akeneo/attributes", "akeneo/attribute_options", "akeneo/products", "akeneo/product_models",
            "picklists/picklist_changes"} <= pooled
    unpooled = {key.to_user_string() for key in graph.get_all_asset_keys() if not graph.get(key).pools}
    assert "picklists/picklist_impact" in unpooled  # reads the warehouse only


def test_the_instance_limits_pools_per_run_and_not_the_whole_instance(instance: dg.DagsterInstance) -> None:
    config = instance.get_concurrency_config()
    assert config.pool_config.pool_granularity is not None
    assert config.pool_config.pool_granularity.value == "run"
    assert config.pool_config.default_pool_limit == 1
    assert config.run_queue_config is not None and config.run_queue_config.max_concurrent_runs != 1  # Dagster's default
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"


def test_a_second_run_of_the_connection_waits_and_another_location_does_not(
        instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch) -> None:
    from akeneo_pipeline.definitions import defs

    monkeypatch.setenv("AKENEO_BASE_URL", "http://127.0.0.1:1")  # runs are only created, never executed

    ours, theirs = ("akeneo_pipeline", "akeneo_pipeline.definitions"), ("other_team", __name__)
    nightly = _run(instance, *ours, defs.resolve_job_def("nightly"), dg.DagsterRunStatus.STARTED)
    refresh = _run(instance, *ours, defs.resolve_job_def("products_refresh"), dg.DagsterRunStatus.QUEUED)
    other = _run(instance, *theirs, other_defs.resolve_job_def("other_team_job"), dg.DagsterRunStatus.QUEUED)

    # The daemon's first pass on a fresh instance sets the pool's limit to `default_limit` and only
    # counts it from the next pass on (Dagster's GlobalOpConcurrencyLimitsCounter); its passes
    # follow each other every few seconds.
    _dequeued(instance)
    launchable = _dequeued(instance)
    assert other.run_id in launchable  # another code location's run is not queued behind nightly
    assert refresh.run_id not in launchable  # the connection's second run waits for the pool

    instance.handle_run_event(  # nightly ends
        nightly.run_id, dg.DagsterEvent(dg.DagsterEventType.RUN_SUCCESS.value, job_name=nightly.job_name))
    assert refresh.run_id in _dequeued(instance)


def test_runs_and_the_sensor_share_the_connection_within_akeneos_limit() -> None:
    settings = AkeneoSettings(base_url="http://127.0.0.1:1", access_token="x")
    assert settings.for_runs().max_concurrency + settings.for_sensor().max_concurrency == 4
    assert settings.for_sensor().max_concurrency == 1
    alone = AkeneoSettings(base_url="http://127.0.0.1:1", access_token="x", max_concurrency=1)
    assert alone.for_runs().max_concurrency == 1


def test_two_connections_have_two_pools_and_never_queue_behind_each_other(
        instance: dg.DagsterInstance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from akeneo_pipeline.connections import load_connections
    from akeneo_pipeline.defs.deployment import build_definitions
    from akeneo_pipeline.settings import AutomationSettings

    (tmp_path / "connections.yaml").write_text("connections:\n  - name: eu\n  - name: us\n")
    for prefix in ("AKENEO_EU_", "AKENEO_US_"):
        monkeypatch.setenv(f"{prefix}BASE_URL", "http://127.0.0.1:1")  # runs are only created, never executed
    defs = build_definitions(AutomationSettings(), load_connections(tmp_path / "connections.yaml"))
    ours = ("akeneo_pipeline", "akeneo_pipeline.definitions")
    eu_nightly = _run(instance, *ours, defs.resolve_job_def("eu_nightly"), dg.DagsterRunStatus.STARTED)
    us_nightly = _run(instance, *ours, defs.resolve_job_def("us_nightly"), dg.DagsterRunStatus.QUEUED)
    eu_refresh = _run(instance, *ours, defs.resolve_job_def("eu_products_refresh"), dg.DagsterRunStatus.QUEUED)
    assert eu_nightly.run_op_concurrency is not None and eu_nightly.run_op_concurrency.all_pools == {"akeneo_eu"}
    _dequeued(instance)  # the first pass sets the pools' limits (see above)
    launchable = _dequeued(instance)
    assert us_nightly.run_id in launchable  # another PIM's connection: its own pool, its own 4 calls
    assert eu_refresh.run_id not in launchable  # the same PIM's connection waits
