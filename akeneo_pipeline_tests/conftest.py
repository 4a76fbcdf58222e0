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


# -- secrets never reach a log line ----------------------------------------------------------------
# Every test runs with known secret values (the sandbox's default credentials, the PostgreSQL
# password) plus the tokens its sandboxes issued; any log record that contains one fails the test.

import logging  # noqa: E402

import pytest  # noqa: E402

from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer  # noqa: E402
from akeneo_pipeline_tests.fixtures.postgres import PG_PASSWORD  # noqa: E402

_DEFAULTS = SandboxConfig()
KNOWN_SECRETS = {
    "the sandbox client secret": _DEFAULTS.client_secret,
    "the sandbox password": _DEFAULTS.password,
    "the sandbox App secret": _DEFAULTS.app_client_secret,
    "the PostgreSQL password": PG_PASSWORD,
}


class _LogText(logging.Handler):
    """Keeps the text of every record (message and traceback) emitted during one test."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string is the emitter's bug, not a leak
            text = str(record.msg)
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.texts.append(text)


def _issued_tokens(request: pytest.FixtureRequest) -> dict[str, str]:
    servers: list[SandboxServer] = []
    for value in getattr(request.node, "funcargs", {}).values():
        if isinstance(value, SandboxServer):
            servers.append(value)
        servers.extend(getattr(value, "servers", []) if callable(value) else [])
    tokens: dict[str, str] = {}
    for server in servers:
        tokens.update({t: "an access token" for t in list(server.auth.access)})
        tokens.update({t: "a refresh token" for t in list(server.auth.refresh)})
        tokens[server.auth.password] = "the sandbox password"
    return tokens


@pytest.fixture(autouse=True)
def no_secret_in_logs(request: pytest.FixtureRequest):
    handler, ours = _LogText(), logging.getLogger("akeneo_pipeline")
    previous = ours.level
    ours.setLevel(logging.DEBUG)  # the project's own debug lines are checked too
    logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(handler)
        ours.setLevel(previous)
    secrets = {value: name for name, value in KNOWN_SECRETS.items()} | _issued_tokens(request)
    leaks = sorted({name for text in handler.texts for value, name in secrets.items() if value and value in text})
    if leaks:
        pytest.fail(f"a log line contains {', '.join(leaks)} (value withheld)", pytrace=False)
