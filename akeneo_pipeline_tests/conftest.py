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


def _prepare_dbt_manifest() -> None:
    """Parse the dbt project once before the test processes import the Dagster definitions
    (they would each parse it otherwise), with the same `ensure_manifest` the definitions call
    on load: nothing to do when the manifest is newer than every file of the project."""
    from akeneo_pipeline.defs.dbt import dbt_project
    from akeneo_pipeline.defs.dbt_manifest import ensure_manifest

    ensure_manifest(dbt_project)
