"""`dagster asset materialize -m akeneo_pipeline.definitions --select '*'`, as the README
says, runs every asset, the dbt models included, from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.env import point_env_at


def test_materialize_select_all_from_the_command_line(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = sandbox_factory(products=60, seed=4)
    data_dir = tmp_path / "data"
    point_env_at(monkeypatch, sandbox, data_dir)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    dagster = str(Path(sys.executable).parent / "dagster")
    done = subprocess.run(
        [dagster, "asset", "materialize", "-m", "akeneo_pipeline.definitions", "--select", "*"],
        capture_output=True, text=True, timeout=600, env=dict(os.environ),
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "RUN_SUCCESS" in output
    for secret in (sandbox.credentials["client_secret"], sandbox.credentials["password"]):
        assert secret not in output

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        def count(statement: str) -> int:
            [(n,)] = conn.execute(statement).fetchall()
            return int(n)

        live = count("SELECT count(*) FROM akeneo.products WHERE deleted_at IS NULL")
        marts = count("SELECT count(*) FROM analytics.dim_products")
        changes_table = count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'akeneo' "
                              "AND table_name = 'picklist_current'")
    assert live == len(list(sandbox.catalog.iter_products())) == marts
    assert changes_table == 1
    print(f"[cli] dagster asset materialize --select '*': {live} products, dim_products {marts} rows")
