"""After `connect-app`: the pipeline's own assets extract the whole catalog with the
App token it saved, and a revoked token or a missing scope each end in one clear
message before anything is extracted."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from pydantic import SecretStr

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoClient
from akeneo_pipeline.connect_app import AppConnector, AppCredentials, save_app_token
from akeneo_pipeline.defs.catalog import catalog_assets
from akeneo_pipeline.defs.products import product_assets
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings, StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import CATALOG_STREAMS
from akeneo_pipeline_tests.fixtures.browser import browse

Factory = Callable[..., SandboxServer]


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory whose `.env` is the only configuration (nothing leaks from ours)."""
    for name in list(os.environ):
        if name.startswith(("AKENEO_", "WAREHOUSE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKENEO_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def connect_app(server: SandboxServer, project_dir: Path) -> str:
    """What a user does: put the App's credentials in .env, run the flow, approve."""
    app = server.app_credentials
    (project_dir / ".env").write_text(f"AKENEO_BASE_URL={server.base_url}\nAKENEO_CLIENT_ID={app['client_id']}\n"
                                      f"AKENEO_CLIENT_SECRET={app['client_secret']}\nAKENEO_READ_TIMEOUT=20\n")
    with AppConnector(AppCredentials(), project_dir / ".env", port=0) as connector:
        server.configure(app_callback_url=connector.callback_url)
        browse(connector.authorize_url)
        connector.wait(5)
    settings = AkeneoSettings()
    assert settings.access_token is not None and settings.username is None
    return settings.access_token.get_secret_value()


def materialize(*assets: dg.AssetsDefinition, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    return dg.materialize(list(assets), resources={"akeneo": AkeneoResource(), "storage": StorageResource()},
                          raise_on_error=raise_on_error)


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    """The first failed step's error, as the Dagster UI shows it."""
    failure = next(e for e in result.all_events if e.is_step_failure)
    error = failure.step_failure_data.error
    assert error is not None
    return error.cause.message if error.cause is not None else error.message


def test_full_extraction_with_the_app_token(
    sandbox_factory: Factory, project_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    server = sandbox_factory(products=120, seed=3)
    token = connect_app(server, project_dir)
    server.clear_log()

    result = materialize(*catalog_assets, *product_assets)

    assert result.success
    store = Store.from_settings(StorageSettings())
    for stream in CATALOG_STREAMS:
        assert store.table_rows(stream) == len(server.catalog.items(stream)), stream
    assert store.table_rows("products") == sum(1 for _ in server.catalog.iter_products()) == 120
    assert store.table_rows("product_models") == sum(1 for _ in server.catalog.iter_product_models())
    assert store.table_rows("attribute_options") == len(server.catalog.items("attribute_options")) > 0
    paths = {entry.path for entry in server.request_log}
    assert "/api/oauth/v1/token" not in paths  # the App token is used as is: no log-in, no refresh
    assert {entry.status for entry in server.request_log} == {200}
    assert token not in caplog.text
    for event in result.all_events:
        assert token not in str(event.event_specific_data)


def test_revoked_app_token_is_one_clear_message_not_a_retry_loop(
    sandbox_factory: Factory, project_dir: Path
) -> None:
    server = sandbox_factory(products=20)
    token = connect_app(server, project_dir)
    server.catalog.revoke_app_tokens()
    server.clear_log()

    result = materialize(catalog_assets[0], raise_on_error=False)

    assert not result.success
    message = failure_message(result)
    assert "revoked" in message and "akeneo-pipeline connect-app" in message
    assert token not in message
    assert [entry.status for entry in server.request_log] == [401]


def test_missing_scope_is_named_before_any_request(sandbox: SandboxServer, project_dir: Path) -> None:
    # A token granted before the pipeline needed more scopes, saved with what it was granted.
    app = sandbox.app_credentials
    granted = "read_products read_catalog_structure read_channel_settings"
    code = sandbox.auth.authorize(app["client_id"], granted)
    challenge = hashlib.sha256(("id" + app["client_secret"]).encode()).hexdigest()
    token = sandbox.auth.app_token({"grant_type": "authorization_code", "client_id": app["client_id"], "code": code,
                                    "code_identifier": "id", "code_challenge": challenge})["access_token"]
    (project_dir / ".env").write_text(f"AKENEO_BASE_URL={sandbox.base_url}\n")
    save_app_token(project_dir / ".env", SecretStr(str(token)), granted.split())
    sandbox.clear_log()

    with pytest.raises(AkeneoAuthError) as info:
        AkeneoClient(AkeneoSettings())
    message = str(info.value)
    assert ("read_attribute_options, read_categories, read_channel_localization, read_association_types"
            in message)
    assert "connect-app" in message and str(token) not in message

    result = materialize(*catalog_assets, *product_assets, raise_on_error=False)
    assert not result.success
    assert "read_association_types" in failure_message(result)
    assert sandbox.request_log == []  # nothing was extracted, not even a first page


def test_app_credentials_name_what_is_missing(project_dir: Path) -> None:
    with pytest.raises(ValueError, match="AKENEO_CLIENT_ID, AKENEO_CLIENT_SECRET"):
        AppCredentials(base_url="https://pim.example.com")
    (project_dir / ".env").write_text("AKENEO_BASE_URL=my-pim.cloud.akeneo.com/\nAKENEO_CLIENT_ID=app\n"
                                      "AKENEO_CLIENT_SECRET=s3cret\n")
    creds = AppCredentials()
    assert (creds.base_url, creds.client_id) == ("https://my-pim.cloud.akeneo.com", "app")
    assert "s3cret" not in repr(creds)


@pytest.mark.parametrize("scopes", ["", "   ", "write_products read_catalog_structure read_attribute_options "
                                    "read_categories write_channel_settings read_channel_localization "
                                    "read_association_types openid"])
def test_blank_or_sufficient_scopes_let_the_client_start(scopes: str) -> None:
    settings = AkeneoSettings(_env_file=None, base_url="https://pim.example.com", access_token="t", app_scopes=scopes)
    assert settings.app_scopes == (scopes if scopes.strip() else None)
    AkeneoClient(settings).close()
