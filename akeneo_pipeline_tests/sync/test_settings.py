"""Bad settings, each as a user would get it wrong: one clear message that names what to fix,
no secret echoed, and nothing written (no Parquet file, no row, no cursor)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoConnectionError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings, StorageSettings
from akeneo_pipeline.storage import ALL_TABLES, DataDirError, Store
from akeneo_pipeline_tests.fixtures.pipeline import run_pipeline
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

SECRET = "sekr1t-for-bad-settings-5b"


def assert_nothing_written(store: Store) -> None:
    assert not list(store.data_dir.rglob("*.parquet")), "a Parquet file was written"
    assert all(store.table_rows(name) == 0 for name in ALL_TABLES), "a row was written"


def failure_of(run: Callable[[], object], error: type[Exception]) -> str:
    with pytest.raises(error) as raised:
        run()
    message = str(raised.value)
    assert SECRET not in message and SECRET not in repr(raised.value)
    brief = " ".join(line.strip() for line in message.splitlines() if "errors.pydantic.dev" not in line)
    print(f"\n[reliability] bad setting -> {type(raised.value).__name__}: {brief[:200]}")
    return message


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")


def test_wrong_password(sandbox: SandboxServer, store: Store) -> None:
    settings = settings_for(sandbox, password=SECRET)
    message = failure_of(lambda: run_pipeline(settings, store, "night-1"), AkeneoAuthError)
    assert "AKENEO_PASSWORD" in message and "No user found" in message
    assert [e.status for e in sandbox.request_log] == [422]  # one token request, no retry storm
    assert_nothing_written(store)


def test_unknown_host(sandbox: SandboxServer, store: Store) -> None:
    settings = settings_for(sandbox, base_url="https://no-such-pim.invalid/", password=SECRET)
    message = failure_of(lambda: run_pipeline(settings, store, "night-1"), AkeneoConnectionError)
    assert "no-such-pim.invalid" in message and "AKENEO_BASE_URL" in message
    assert_nothing_written(store)


def test_plain_http_to_a_remote_host(sandbox: SandboxServer) -> None:
    message = failure_of(lambda: settings_for(sandbox, base_url="http://pim.example.com", password=SECRET),
                         ValidationError)
    assert "AKENEO_BASE_URL" in message and "AKENEO_ALLOW_INSECURE_HTTP" in message and "https://" in message


def test_unwritable_data_dir(sandbox: SandboxServer, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    warehouse = tmp_path / "warehouse.duckdb"
    store = Store(tmp_path / "a-file" / "data", f"duckdb:///{warehouse}")
    message = failure_of(lambda: run_pipeline(settings_for(sandbox), store, "night-1"), DataDirError)
    assert "AKENEO_DATA_DIR" in message and "a-file" in message
    assert not warehouse.exists(), "the warehouse was created although nothing could be written"


@pytest.mark.parametrize("url, expected", [
    ("not a url at all", "is not a SQLAlchemy URL"),
    (f"mysql://user:{SECRET}@db.example:3306/pim", "driver 'mysql' is not supported"),
    (f"postgres+psycopg://user:{SECRET}@db.example/pim", "driver 'postgres+psycopg' is not supported"),
])
def test_malformed_warehouse_url(url: str, expected: str, tmp_path: Path) -> None:
    message = failure_of(lambda: StorageSettings(_env_file=None, AKENEO_DATA_DIR=tmp_path / "data", WAREHOUSE_URL=url),
                         ValidationError)
    assert "WAREHOUSE_URL" in message and expected in message
    assert not (tmp_path / "data").exists()


def test_settings_errors_never_echo_the_secret_values(sandbox: SandboxServer) -> None:
    # Incomplete credentials with the secret set: the message lists what is missing, never a value.
    message = failure_of(lambda: AkeneoSettings(_env_file=None, base_url=sandbox.base_url, client_secret=SECRET,
                                                password=SECRET), ValidationError)
    assert "AKENEO_CLIENT_ID" in message and "AKENEO_USERNAME" in message
