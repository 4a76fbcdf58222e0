"""connect-app in catalog mode against the sandbox: the catalog scopes asked for, the catalog
created on first use (or adopted by id), its id saved next to the token, the URL printed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES
from akeneo_pipeline.connect_app import AppConnector, AppCredentials, ConnectAppError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.app_catalog import admin, admin_states, catalog_settings, connect_app
from akeneo_pipeline_tests.fixtures.browser import browse

Factory = Callable[..., SandboxServer]
CATALOG_SCOPES = {"read_catalogs", "write_catalogs", "delete_catalogs"}


def test_catalog_mode_asks_for_the_catalog_scopes(sandbox: SandboxServer, tmp_path: Path) -> None:
    plain = AppCredentials(_env_file=None, base_url="https://pim.example.com", client_id="c",
                           client_secret="s")
    named = AppCredentials(_env_file=None, base_url="https://pim.example.com", client_id="c",
                           client_secret="s", catalog_name="Store EU")
    for credentials, expected in ((plain, set(REQUIRED_SCOPES)), (named, set(REQUIRED_SCOPES) | CATALOG_SCOPES)):
        with AppConnector(credentials, tmp_path / ".env", port=0) as connector:
            asked = parse_qs(urlsplit(connector.authorize_url).query)["scope"][0]
            assert set(asked.split()) == expected


def test_first_connection_creates_the_catalog_and_saves_its_id_next_to_the_token(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# mine\nAKENEO_CATALOG_NAME='Store EU'\n")
    result = connect_app(sandbox, env_file, catalog_name="Store EU")

    assert result.catalog is not None and result.catalog.name == "Store EU" and not result.catalog.enabled
    assert set(result.scopes) >= CATALOG_SCOPES
    assert result.catalog_url == f"{sandbox.base_url}/connect/apps/v1/catalogs/{result.catalog.id}"
    states = admin_states(sandbox)
    assert [(s["id"], s["name"], s["enabled"], s["owner"]) for s in states] == [
        (result.catalog.id, "Store EU", False, sandbox.config.app_client_id)]
    text = env_file.read_text()
    assert text.startswith("# mine\n") and f"AKENEO_CATALOG_ID='{result.catalog.id}'" in text
    settings = catalog_settings(sandbox, env_file)
    assert settings.catalog_mode and settings.catalog_id == result.catalog.id and settings.uses_app_token


def test_an_existing_catalog_is_adopted_by_id_not_created_again(sandbox: SandboxServer, tmp_path: Path) -> None:
    existing = admin(sandbox, "catalogs/create", {"name": "Made before"})["id"]
    result = connect_app(sandbox, tmp_path / ".env", catalog_name=None, catalog_id=existing)
    assert result.catalog is not None and (result.catalog.id, result.catalog.name) == (existing, "Made before")
    assert [s["id"] for s in admin_states(sandbox)] == [existing]
    assert f"AKENEO_CATALOG_ID='{existing}'" in (tmp_path / ".env").read_text()


def test_an_unknown_catalog_id_is_named_and_no_catalog_id_is_saved(sandbox: SandboxServer, tmp_path: Path) -> None:
    missing = "0b1f5a4e-7f43-4a4d-9a4e-2d7c5e0e9a11"
    with pytest.raises(ConnectAppError) as info:
        connect_app(sandbox, tmp_path / ".env", catalog_name=None, catalog_id=missing)
    message = str(info.value)
    assert f"AKENEO_CATALOG_ID {missing} names no catalog of this App" in message
    assert "status: 404" in message and "the token is saved" in message
    text = (tmp_path / ".env").read_text()
    assert "AKENEO_ACCESS_TOKEN=" in text and "AKENEO_CATALOG_ID" not in text
    assert admin_states(sandbox) == []


def test_a_catalog_name_akeneo_refuses_is_named(sandbox_factory: Factory, tmp_path: Path) -> None:
    server = sandbox_factory(products=5)
    for i in range(200):  # Akeneo's limit: 200 catalogs per App (the guide, "Limits"); set up in-process
        server.app_catalogs.create(f"c{i}", server.config.app_client_id)
    with pytest.raises(ConnectAppError) as info:
        connect_app(server, tmp_path / ".env", catalog_name="One too many")
    message = str(info.value)
    assert "refused to create the App catalog 'One too many' (AKENEO_CATALOG_NAME)" in message
    assert "status: 422" in message and "up to 200 catalogs" in message


def test_the_command_prints_where_a_pim_user_configures_the_catalog(sandbox: SandboxServer, tmp_path: Path) -> None:
    app = sandbox.app_credentials
    (tmp_path / ".env").write_text(f"AKENEO_BASE_URL={sandbox.base_url}\nAKENEO_CLIENT_ID={app['client_id']}\n"
                                   "AKENEO_CATALOG_NAME='Store EU'\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    sandbox.configure(app_callback_url=f"http://127.0.0.1:{port}/callback")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKENEO_", "WAREHOUSE_"))}
    env.update(PYTHONUNBUFFERED="1", AKENEO_CLIENT_SECRET=app["client_secret"])
    process = subprocess.Popen([sys.executable, "-m", "akeneo_pipeline", "connect-app", "--port", str(port),
                                "--no-open", "--timeout", "30"], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "/connect/apps/v1/authorize?" in line:
                assert browse(line.strip()).status_code == 200
                break
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, out + err
    (catalog,) = admin_states(sandbox)
    assert f"App catalog 'Store EU': {catalog['id']} (disabled); saved AKENEO_CATALOG_ID" in out
    assert f"  {sandbox.base_url}/connect/apps/v1/catalogs/{catalog['id']}\n" in out
