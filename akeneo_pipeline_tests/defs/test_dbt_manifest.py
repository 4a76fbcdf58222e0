"""A fresh copy of the project (no dbt/target, the venv not activated) loads its definitions
and materialises an asset: the manifest is parsed on load, not by a set-up step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from dagster_dbt import DbtProject

from akeneo_pipeline.defs.dbt_manifest import manifest_is_current
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.env import point_env_at

ROOT = Path(__file__).resolve().parents[2]


def _fresh_copy(destination: Path) -> Path:
    """The files a `git clone` of this working tree would hold, as they are now."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.mark.slow
def test_a_fresh_copy_materializes_without_a_preparation_step(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = _fresh_copy(tmp_path / "clone")
    project = DbtProject(project_dir=clone / "dbt")
    assert not project.manifest_path.exists()
    assert not manifest_is_current(project)

    sandbox = sandbox_factory(products=20, seed=2)
    data_dir = tmp_path / "data"
    point_env_at(monkeypatch, sandbox, data_dir)
    (tmp_path / "dagster_home").mkdir()
    # As after `pip install` without `source .venv/bin/activate`: no dbt on PATH, the copy's code first.
    bin_dir = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != bin_dir)
    env = {**os.environ, "PATH": path, "PYTHONPATH": str(clone), "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "akeneo_pipeline.definitions",
         "--select", "akeneo/channels"],
        capture_output=True, text=True, timeout=600, env=env,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "RUN_SUCCESS" in output
    assert manifest_is_current(project)  # the copy's own dbt project was parsed, on load

    model = next((clone / "dbt" / "models").rglob("*.sql"))
    os.utime(model, (model.stat().st_atime, project.manifest_path.stat().st_mtime + 10))
    assert not manifest_is_current(project)  # an edited model makes the next load parse again
