"""Secrets stay secret: a whole Dagster materialisation against PostgreSQL (whose URL holds a
password) with known Akeneo secrets, under token expiry and faults, leaves none of them (nor
any token the sandbox issued) in the run's events, metadata, or any file it wrote, Parquet
read column by column. The suite-wide log check (fixtures/secrets.py) is proven able to fail."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from dagster._serdes import serialize_value

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.postgres import PG_PASSWORD

CLIENT_SECRET, PASSWORD = "cs-rel-4Jx9qLm2", "pw-rel-8Vn3tYc7"
ROOT = Path(__file__).resolve().parents[2]
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}  # events are still all recorded


def parquet_strings_containing(path: Path, secrets: list[str]) -> list[str]:
    """Columns of a Parquet file (every string column, nested ones flattened) holding a secret."""
    table = pq.read_table(path).flatten()
    found = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            for secret in secrets:
                if pc.any(pc.match_substring(column, secret)).as_py():
                    found.append(f"{path.name}:{name}")
    return found


@pytest.mark.postgres
@pytest.mark.slow
def test_a_materialisation_leaves_no_secret_in_events_metadata_or_files(
    sandbox_factory: Callable[..., SandboxServer], postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: SandboxServer = sandbox_factory(products=80, seed=5, client_secret=CLIENT_SECRET, password=PASSWORD,
                                            token_lifetime=1, latency_ms=10, fault_rate=0.05, fault_seed=2,
                                            fault_kinds=("503", "drop"))
    data_dir = tmp_path / "data"
    point_env_at(monkeypatch, server, data_dir, warehouse_url=postgres_url)
    monkeypatch.setenv("AKENEO_BACKOFF_BASE", "0.02")
    from akeneo_pipeline.definitions import defs

    keys = [k for k in defs.resolve_all_asset_keys() if k.path[0] in ("akeneo", "picklists")]
    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance, asset_selection=keys, run_config=QUIET,
                                  raise_on_error=False)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    server.catalog.update_products(10)
    refresh = job.execute_in_process(instance=instance, asset_selection=keys, run_config=QUIET, raise_on_error=False)
    assert refresh.success

    secrets = [CLIENT_SECRET, PASSWORD, PG_PASSWORD, *server.auth.access, *server.auth.refresh]
    texts = []
    for run in (result, refresh):
        texts.append(serialize_value(instance.get_run_by_id(run.run_id)))
        texts += [serialize_value(entry) for entry in instance.all_logs(run.run_id)]
    materialised = [e for e in result.get_asset_materialization_events()]
    assert len(materialised) >= len(keys) - 1 and len(texts) > 100
    assert not [t[:80] for t in texts if any(s in t for s in secrets)], "a secret reached Dagster's events"

    files = [p for p in data_dir.rglob("*") if p.is_file()]
    parquet = [p for p in files if p.suffix == ".parquet"]
    assert len(parquet) >= 15
    leaks = [hit for p in parquet for hit in parquet_strings_containing(p, secrets)]
    leaks += [p.name for p in files if p.suffix != ".parquet" and any(s.encode() in p.read_bytes() for s in secrets)]
    assert not leaks, f"secrets found in {leaks}"
    print(f"\n[reliability] secrets: {len(secrets)} known values (incl. {len(secrets) - 3} issued tokens) searched in "
          f"{len(texts)} Dagster records and {len(parquet)} Parquet files ({len(files)} files): none found; "
          f"faults injected {server.stats()['faults_injected']}")


LEAKY = "akeneo_pipeline_tests/defs/test_secrets.py::test_canary_that_logs_a_secret"


@pytest.mark.skipif(os.environ.get("AKENEO_LEAK_CANARY") != "1", reason="run only by the test below")
def test_canary_that_logs_a_secret() -> None:
    import logging

    logging.getLogger("akeneo_pipeline.canary").debug("connecting with %s", PG_PASSWORD)


def test_the_suite_wide_log_check_fails_a_test_that_logs_a_secret() -> None:
    env = {**os.environ, "AKENEO_LEAK_CANARY": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", LEAKY], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0, run.stdout[-2000:]
    assert "a log line contains the PostgreSQL password (value withheld)" in run.stdout
    assert PG_PASSWORD not in run.stdout.replace(f"connecting with {PG_PASSWORD}", "")
