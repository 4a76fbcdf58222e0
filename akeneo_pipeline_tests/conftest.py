"""Shared fixtures: the sandbox Akeneo on 127.0.0.1 and a real PostgreSQL server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

pytest_plugins = [
    "akeneo_pipeline_tests.fixtures.postgres",
    "akeneo_pipeline_tests.fixtures.sandbox",
]


def pytest_configure(config) -> None:
    # dbt runs as a subprocess: its executable lives next to this interpreter.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
