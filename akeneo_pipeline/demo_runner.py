"""Runs jobs and ticks the sensor of the real Definitions in one process, for the demo, and
prints a short report of each; what dbt prints about every model and test goes to a log file.

Kept apart from `demo.py` because importing the definitions reads the settings, which the
demo sets first (pointing them at its sandbox).
"""

from __future__ import annotations

import time
from contextlib import redirect_stdout
from pathlib import Path

import dagster as dg

from akeneo_pipeline.definitions import defs
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import CATALOG_STREAMS, EDITION_STREAMS, ENTITY_STREAMS, RECORD_STREAMS

REPORT_TABLES = (
    *CATALOG_STREAMS,
    *(table for stream in ENTITY_STREAMS.values() for table in (stream.name, stream.values_table)),
    "picklist_changes", "picklist_current",
)
# The editions' tables, reported when they hold rows (an Enterprise sandbox: `demo --edition enterprise`).
EDITION_REPORT_TABLES = (
    *EDITION_STREAMS, *(table for stream in RECORD_STREAMS.values() for table in (stream.name, stream.values_table)))


# Dagster's and dbt's step logs would drown the summary; failures still raise with their cause.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class DemoRunner:
    def __init__(self, log_path: Path) -> None:
        self.instance = dg.DagsterInstance.ephemeral()
        self.sensor_cursor: str | None = None
        self.log_path = log_path

    def run_job(self, name: str) -> None:
        print(f"\n== running job {name!r}")
        job = defs.resolve_job_def(name)
        started = time.monotonic()
        # dagster-dbt writes dbt's per-node lines to stdout: they go to the log file instead.
        with self.log_path.open("a", encoding="utf-8") as log, redirect_stdout(log):
            print(f"== job {name}", flush=True)
            result = job.execute_in_process(instance=self.instance, run_config=QUIET, raise_on_error=True)
        materialized = sum(1 for event in result.all_events if event.is_step_materialization)
        checks = result.get_asset_check_evaluations()
        failed = sorted(f"{c.asset_key.to_user_string()}:{c.check_name} ({c.severity.value})"
                        for c in checks if not c.passed)
        print(f"   {name}: success in {time.monotonic() - started:.0f}s, {materialized} asset materialisations, "
              f"{len(checks) - len(failed)}/{len(checks)} checks passed")
        for check in failed:
            print(f"   check not passed: {check}")

    def failure(self, name: str) -> str:
        """Runs a job that must fail; the first failed step's error message (the App catalog demo)."""
        silent = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}  # the error is printed once
        result = defs.resolve_job_def(name).execute_in_process(instance=self.instance, run_config=silent,
                                                               raise_on_error=False)
        if result.success:
            raise RuntimeError(f"job {name!r} succeeded although it should have failed")
        errors = [event.step_failure_data.error for event in result.get_step_failure_events()]
        first = next((error for error in errors if error is not None), None)
        while first is not None and first.cause is not None:  # the asset's own error, not Dagster's wrapper
            first = first.cause
        return first.message.strip() if first is not None else "(no error message)"

    def tick_sensor(self) -> list[str]:
        """Evaluates `akeneo_changes` once, as the daemon would; returns the jobs it asked for.

        The sensor judges only whole seconds of Akeneo's clock that are over; the daemon's
        interval guarantees that, so the demo lets the current second end first."""
        time.sleep(1.05 - time.time() % 1)
        sensor = defs.resolve_sensor_def("akeneo_changes")
        with dg.build_sensor_context(
            instance=self.instance, cursor=self.sensor_cursor, resources=defs.resources
        ) as context:
            data = sensor.evaluate_tick(context)
        self.sensor_cursor = data.cursor
        jobs: list[str] = []
        for request in data.run_requests or []:
            if request.job_name is None:  # the sensor names its job in every request (defs/automation.py)
                raise RuntimeError(f"akeneo_changes requested a run without a job name (run key {request.run_key!r})")
            jobs.append(request.job_name)
        print(f"\n== sensor akeneo_changes: {', '.join(jobs) if jobs else 'no run requested'}")
        return jobs

    def report(self) -> None:
        with Store.from_settings(StorageSettings()) as store:
            print("\n== rows per table (schema akeneo)")
            for table in REPORT_TABLES:
                line = f"   {table:<24} {store.table_rows(table):>10,}"
                if table in ENTITY_STREAMS:
                    deleted = store.table_rows(table) - store.table_rows(table, live_only=True)
                    line += f"  ({deleted} soft-deleted: gone from Akeneo)"
                print(line)
            for table in EDITION_REPORT_TABLES:
                if store.table_rows(table):
                    print(f"   {table:<32} {store.table_rows(table):>10,}")
            changes = store.read_table("picklist_changes").to_pylist()
        print(f"\n== picklist changes ({len(changes)})")
        for row in changes:
            detail = ""
            if row["change_type"] == "relabeled":
                detail = f" [{row['locale']}] {row['old_label']!r} -> {row['new_label']!r}"
            elif row["change_type"] == "reordered":
                detail = f" {row['old_sort_order']} -> {row['new_sort_order']}"
            option = f"{row['attribute_code']}.{row['option_code']}"
            print(f"   #{row['change_id']:<5} {row['change_type']:<18} {option}{detail}")
