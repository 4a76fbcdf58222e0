"""Shared fixtures: the sandbox Akeneo on 127.0.0.1, a real PostgreSQL server, the warehouse
on either, and a check that no secret reaches a log line; dbt's manifest is prepared before
any test imports the Dagster definitions. Test modules share helpers only through
`akeneo_pipeline_tests.fixtures`, never by importing one another."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest_plugins = [
    "akeneo_pipeline_tests.fixtures.postgres",
    "akeneo_pipeline_tests.fixtures.s3",
    "akeneo_pipeline_tests.fixtures.sandbox",
    "akeneo_pipeline_tests.fixtures.salesforce",
    "akeneo_pipeline_tests.fixtures.secrets",
    "akeneo_pipeline_tests.fixtures.warehouse",
]


def pytest_configure(config: pytest.Config) -> None:
    # dbt runs as a subprocess: its executable lives next to this interpreter.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    _prepare_dbt_manifest()


DBT_DIR = Path(__file__).resolve().parents[1] / "dbt"


def _prepare_dbt_manifest() -> None:
    """Parse the dbt project before any test imports the Dagster definitions, as
    `dagster-dbt project prepare-and-package` does in the set-up. Skipped when the
    manifest is newer than every file of the project, so most runs pay nothing."""
    manifest = DBT_DIR / "target" / "manifest.json"
    sources = [
        p for p in DBT_DIR.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.parts[len(DBT_DIR.parts)] not in ("target", "logs")
    ]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    from akeneo_pipeline.defs.dbt import dbt_project

    dbt_project.preparer.prepare(dbt_project)
