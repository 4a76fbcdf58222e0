"""dbt's manifest, prepared when the definitions load instead of by a set-up step.

dagster-dbt builds the dbt assets from `dbt/target/manifest.json`. Its own
`DbtProject.prepare_if_dev()` parses only under `dagster dev` / `dg` and calls
`dbt` from PATH, so a fresh `pip install` followed by `dagster asset materialize`
(or a venv that is not activated) failed. `ensure_manifest` parses whenever the
manifest is missing or older than a file of the dbt project, with the dbt installed
beside this interpreter, under a file lock so that processes loading the
definitions at once (a code server and its run workers) parse once.

An image built with `dagster-dbt project prepare-and-package --file
akeneo_pipeline/defs/dbt.py` (see the Dockerfile) carries a current manifest: loading
it parses nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from filelock import FileLock

# Parsing the project takes seconds; a process waiting for another's parse waits at most this.
LOCK_TIMEOUT_S = 300
# What is not the project's source: dbt's own output and state.
NOT_SOURCE = ("target", "logs", "dbt_packages")


def dbt_executable() -> str:
    """The dbt installed beside this interpreter, so a venv works without being activated."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def manifest_is_current(project: DbtProject) -> bool:
    """The manifest exists and no file of the dbt project is newer."""
    manifest = project.manifest_path
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    root = project.project_dir
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if relative[0] in NOT_SOURCE or path.name.startswith(".") or not path.is_file():
            continue
        if path.stat().st_mtime > built:
            return False
    return True


def ensure_manifest(project: DbtProject) -> None:
    """Run `dbt parse` unless the manifest is current; raises with dbt's error if parsing fails."""
    if manifest_is_current(project):
        return
    project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(project.manifest_path.with_suffix(".concurrent-update-lock")), timeout=LOCK_TIMEOUT_S):
        if manifest_is_current(project):  # another process parsed while this one waited
            return
        resource = DbtCliResource(project_dir=project, dbt_executable=dbt_executable())
        resource.cli(["parse", "--quiet"], target_path=project.target_path).wait()
