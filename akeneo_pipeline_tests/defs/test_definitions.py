"""The Definitions as `dagster dev` loads them: every asset, check, job, schedule and
sensor the issue names, the nightly schedule's evaluation, and settings that fail
at launch with the variable named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.definitions.freshness import TimeWindowFreshnessPolicy
from dagster._core.events import JobFailureData

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.dagster import error_text, step_failures
from akeneo_pipeline_tests.fixtures.env import point_env_at

CATALOG_STREAMS = ("channels", "locales", "currencies", "attribute_groups", "attributes", "families",
                   "family_variants", "categories", "association_types", "measurement_families")
PYTHON_ASSETS = {
    **{f"akeneo/{s}": "akeneo_catalog" for s in (*CATALOG_STREAMS, "attribute_options")},
    "akeneo/products": "akeneo_products",
    "akeneo/product_models": "akeneo_products",
    "picklists/picklist_changes": "picklists",
    "picklists/picklist_current": "picklists",
    "picklists/picklist_impact": "picklists",
    "salesforce/picklists": "salesforce",
    # the editions' streams, each edition feature in its own group
    **{f"akeneo/{s}": "akeneo_reference_entities" for s in (
        "reference_entities", "reference_entity_attributes", "reference_entity_attribute_options",
        "reference_entity_records")},
    **{f"akeneo/{s}": "akeneo_asset_manager" for s in (
        "asset_families", "asset_family_attributes", "asset_family_attribute_options", "assets")},
    "akeneo/table_attribute_columns": "akeneo_table_attributes",
    "akeneo/table_select_options": "akeneo_table_attributes",
}
@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from akeneo_pipeline.definitions import defs

    return defs


def test_every_named_asset_is_in_its_group(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.materializable_asset_keys}
    assert {k: g for k, g in groups.items() if k in PYTHON_ASSETS} == PYTHON_ASSETS
    dbt = {k for k, g in groups.items() if g == "dbt"}
    assert {"dbt/dim_products", "dbt/product_select_values", "dbt/picklist_change_history"} <= dbt
    assert set(groups) == set(PYTHON_ASSETS) | dbt  # nothing unnamed, nothing outside the named groups


def test_the_named_checks_exist(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    for stream in (*CATALOG_STREAMS, "attribute_options", "products", "product_models"):
        assert (f"akeneo/{stream}", "unique_keys") in checks
    for stream in ("channels", "locales", "currencies", "attributes", "families", "categories"):
        assert (f"akeneo/{stream}", "not_empty") in checks
    for reference in ("family", "parent", "categories"):
        assert ("akeneo/products", f"{reference}_exist") in checks
    assert ("akeneo/products", "cursor_never_moves_backwards") in checks
    assert ("akeneo/product_models", "cursor_never_moves_backwards") in checks
    assert ("picklists/picklist_current", "values_point_at_existing_options") in checks
    assert any(key.startswith("dbt/") for key, _ in checks)  # dbt tests are checks too


def test_akeneo_assets_are_late_after_a_day(defs: dg.Definitions) -> None:
    """A nightly copy warns 24 hours after its last materialisation and fails at 26 (defs/freshness.py)."""
    graph = defs.resolve_asset_graph()
    # Every asset that copies Akeneo: catalog, products, the editions' structure, records and assets.
    akeneo = [key for key in graph.materializable_asset_keys if key.path[0] == "akeneo"]
    assert {dg.AssetKey(["akeneo", s]) for s in (*CATALOG_STREAMS, "products", "reference_entity_records",
                                                  "assets")} <= set(akeneo)
    for key in akeneo:
        policy = graph.get(key).freshness_policy
        assert isinstance(policy, TimeWindowFreshnessPolicy), key
        assert policy.warn_window is not None
        assert (policy.warn_window.to_timedelta(), policy.fail_window.to_timedelta()) == (
            timedelta(hours=24), timedelta(hours=26))


def test_jobs_select_what_their_names_say(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()

    def selected(name: str) -> set[str]:
        job = defs.resolve_job_def(name)
        return {k.to_user_string() for k in job.asset_layer.selected_asset_keys}

    everything = {k.to_user_string() for k in graph.materializable_asset_keys}
    assert selected("nightly") == everything
    refresh = selected("products_refresh")
    assert {"akeneo/products", "akeneo/product_models", "picklists/picklist_impact", "dbt/dim_products"} <= refresh
    assert not refresh & {f"akeneo/{s}" for s in (*CATALOG_STREAMS, "attribute_options")}
    assert selected("picklists_refresh") == {"akeneo/attributes", "akeneo/attribute_options",
                                              "picklists/picklist_changes", "picklists/picklist_current",
                                              "picklists/picklist_impact", "salesforce/picklists",
                                              "akeneo/reference_entities", "akeneo/reference_entity_records",
                                              "akeneo/table_attribute_columns", "akeneo/table_select_options"}
    assert selected("deletion_scan") == {"akeneo/products", "akeneo/product_models",
                                         "akeneo/reference_entity_records", "akeneo/assets"}


def test_nightly_schedule_evaluates_to_a_nightly_run(defs: dg.Definitions) -> None:
    schedule = defs.resolve_schedule_def("nightly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "UTC")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 1, 2, 0, tzinfo=UTC)) as context:
        data = schedule.evaluate_tick(context)
    requests = data.run_requests or []
    assert len(requests) == 1 and schedule.job_name == "nightly"
    assert requests[0].job_name in (None, "nightly")  # None: the schedule's own job


def test_schedule_cron_and_zone_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from akeneo_pipeline.defs.automation import build_schedules
    from akeneo_pipeline.settings import AutomationSettings

    monkeypatch.setenv("NIGHTLY_CRON", "30 4 * * 1-5")
    monkeypatch.setenv("NIGHTLY_TIMEZONE", "Europe/Paris")
    nightly = next(s for s in build_schedules(AutomationSettings(_env_file=None)) if s.name == "nightly")
    assert (nightly.cron_schedule, nightly.execution_timezone) == ("30 4 * * 1-5", "Europe/Paris")
    monkeypatch.setenv("NIGHTLY_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValueError, match="NIGHTLY_TIMEZONE 'Mars/Olympus'"):
        AutomationSettings(_env_file=None)


def test_change_sensor_watches_both_refresh_jobs(defs: dg.Definitions) -> None:
    sensor = defs.resolve_sensor_def("akeneo_changes")
    assert {job.name for job in sensor.jobs} == {"products_refresh", "picklists_refresh"}
    assert sensor.minimum_interval_seconds == 300


def _launch(defs: dg.Definitions) -> str:
    """Run the first catalog asset as a launch would; returns the failure's message, causes included.

    A missing dg.EnvVar fails the run config; a storage setting fails the run before its first step
    (the run's Store is made when the run starts); one the client reads fails the step."""
    job = defs.resolve_implicit_global_asset_job_def()
    try:
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                        asset_selection=[dg.AssetKey(["akeneo", "channels"])], raise_on_error=False)
    except Exception as error:  # a missing dg.EnvVar fails the run config itself
        return str(error)
    assert not result.success
    steps = step_failures(result)
    if steps:
        return steps[0]
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    data = failure.event_specific_data
    assert isinstance(data, JobFailureData)
    return error_text(data.error)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("AKENEO_BASE_URL", None, "AKENEO_BASE_URL"),
        ("AKENEO_PASSWORD", None, "AKENEO_PASSWORD"),
        ("AKENEO_BASE_URL", "ftp://pim.example", "AKENEO_BASE_URL must be an http(s) address"),
        ("AKENEO_BASE_URL", "http://pim.example.com", "AKENEO_BASE_URL uses plain http://"),
        ("AKENEO_MAX_CONCURRENCY", "lots", "AKENEO_MAX_CONCURRENCY"),
        ("AKENEO_MAX_CONCURRENCY", "8", "AKENEO_MAX_CONCURRENCY=8 is above Akeneo's limit of 4"),
        ("WAREHOUSE_URL", "not a url", "WAREHOUSE_URL is not a SQLAlchemy URL"),
    ],
)
def test_a_missing_or_wrong_setting_fails_at_launch_naming_it(
    defs: dg.Definitions, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    variable: str, value: str | None, message: str,
) -> None:
    point_env_at(monkeypatch, sandbox, tmp_path)
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)
    error = _launch(defs)
    assert message in error
    assert sandbox.credentials["password"] not in error and sandbox.credentials["client_secret"] not in error
    assert not (tmp_path / "parquet").exists()  # it failed before writing anything


def test_a_settings_error_does_not_echo_the_secrets(
    defs: dg.Definitions, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pydantic prints a model error's inputs; a short input dict would show the secret whole."""
    point_env_at(monkeypatch, sandbox, tmp_path)
    for name in ("AKENEO_CLIENT_ID", "AKENEO_USERNAME", "AKENEO_PASSWORD"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AKENEO_BASE_URL", "ftp://pim.example")
    monkeypatch.setenv("AKENEO_CLIENT_SECRET", "s3cret-7f2a9c")
    error = _launch(defs)
    assert "AKENEO_BASE_URL must be an http(s) address" in error
    assert "s3cret-7f2a9c" not in error


def test_dagster_dev_in_the_project_launches_one_run_per_pool(tmp_path: Path) -> None:
    """`dagster dev` without DAGSTER_HOME builds its instance from the working directory's
    dagster.yaml, as here: runs queue, and the queue admits one run per concurrency pool
    (defs/test_pools.py shows what that means for this project's runs and others')."""
    from dagster._core.instance.ref import InstanceRef
    from dagster._core.run_coordinator import QueuedRunCoordinator

    project = Path(__file__).resolve().parents[2]
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path), config_dir=str(project))) as instance:
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        queue = instance.get_concurrency_config().run_queue_config
        assert queue is not None and queue.max_concurrent_runs != 1  # no instance-wide limit of one
        pools = instance.get_concurrency_config().pool_config
        assert pools.pool_granularity is not None and pools.pool_granularity.value == "run"
        assert pools.default_pool_limit == 1
