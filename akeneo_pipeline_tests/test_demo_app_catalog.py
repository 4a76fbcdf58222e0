"""`akeneo-pipeline demo --app-catalog` as a user runs it: the whole App catalog path on the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_demo_app_catalog_runs_the_whole_flow(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKENEO_", "WAREHOUSE_"))}
    command = [sys.executable, "-m", "akeneo_pipeline", "demo", "--app-catalog", "--products", "300",
               "--data-dir", str(tmp_path / "demo")]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "read_catalogs write_catalogs delete_catalogs" in out
    assert "/connect/apps/v1/catalogs/" in out and "is disabled; configure it at" in out
    assert "== sensor akeneo_changes: no run requested" in out and "== sensor akeneo_changes: products_refresh" in out
    assert "exactly the catalog's selection" in out
    assert "(expected to fail)" in out and "(AKENEO_CATALOG_ID) is disabled" in out
    env_file = (tmp_path / "demo" / ".env").read_text()
    assert "AKENEO_CATALOG_ID=" in env_file
    token = next(line.split("=", 1)[1].strip("'") for line in env_file.splitlines()
                 if line.startswith("AKENEO_ACCESS_TOKEN="))
    assert token not in out + done.stderr
