"""`python -m akeneo_pipeline connect-app` as a user runs it, and the token file it writes."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from akeneo_pipeline.__main__ import main
from akeneo_pipeline.connect_app import ConnectAppError, save_app_token
from akeneo_pipeline.connect_app.token_file import updated_lines
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline_tests.fixtures.browser import browse


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKENEO_", "WAREHOUSE_"))}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def test_cli_connects_saves_0600_and_never_prints_the_token(sandbox: SandboxServer, tmp_path: Path) -> None:
    app = sandbox.app_credentials
    (tmp_path / ".env").write_text(f"AKENEO_BASE_URL={sandbox.base_url}\nAKENEO_CLIENT_ID={app['client_id']}\n")
    port = free_port()
    sandbox.configure(app_callback_url=f"http://127.0.0.1:{port}/callback")
    command = [sys.executable, "-m", "akeneo_pipeline", "connect-app", "--port", str(port), "--no-open",
               "--timeout", "30"]
    process = subprocess.Popen(command, cwd=tmp_path, env=clean_env(AKENEO_CLIENT_SECRET=app["client_secret"]),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if "/connect/apps/v1/authorize?" in line:
                break
        url = printed[-1].strip()
        assert url.startswith(f"{sandbox.base_url}/connect/apps/v1/authorize?response_type=code&client_id=")
        assert browse(url).status_code == 200
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    output = "".join(printed) + out + err
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/callback" in output and f"http://127.0.0.1:{port}/activate" in output
    assert "Connected" in out and "read_association_types" in out
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    settings = AkeneoSettings(_env_file=env_file)
    assert settings.access_token is not None
    token = settings.access_token.get_secret_value()
    assert token in sandbox.auth.access and token not in output
    assert app["client_secret"] not in output


def test_cli_without_app_credentials_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("AKENEO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AKENEO_BASE_URL", "my-pim.cloud.akeneo.com")
    assert main(["connect-app", "--no-open", "--port", "0", "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert "AKENEO_CLIENT_ID, AKENEO_CLIENT_SECRET" in err and "Traceback" not in err
    assert not (tmp_path / ".env").exists()


def test_cli_failure_is_one_line_on_stderr(
    sandbox_factory: Callable[..., SandboxServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = sandbox_factory(products=5)
    monkeypatch.chdir(tmp_path)
    for key, value in dict(AKENEO_BASE_URL=server.base_url, AKENEO_CLIENT_ID="app", AKENEO_CLIENT_SECRET="x").items():
        monkeypatch.setenv(key, value)
    assert main(["connect-app", "--no-open", "--port", "0", "--timeout", "0.1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("connect-app failed: Akeneo did not come back") and err.count("\n") == 1


def test_only_the_token_lines_change_and_duplicates_go() -> None:
    lines = ["# comment\n", "AKENEO_BASE_URL=x\n", "export AKENEO_ACCESS_TOKEN=old\n",
             "  AKENEO_ACCESS_TOKEN = older\n",
             "# AKENEO_APP_SCOPES=commented stays\n", "LAST=no newline"]
    out = updated_lines(lines, {"AKENEO_ACCESS_TOKEN": "'new'", "AKENEO_APP_SCOPES": "'a b'"})
    assert out == ["# comment\n", "AKENEO_BASE_URL=x\n", "AKENEO_ACCESS_TOKEN='new'\n",
                   "# AKENEO_APP_SCOPES=commented stays\n", "LAST=no newline\n", "AKENEO_APP_SCOPES='a b'\n"]


def test_saving_follows_a_symlink_and_tightens_permissions(tmp_path: Path) -> None:
    real = tmp_path / "secrets.env"
    real.write_text("OTHER=1\n")
    real.chmod(0o644)
    link = tmp_path / ".env"
    link.symlink_to(real)
    written = save_app_token(link, SecretStr("tok+en/=="), ["read_products", "read_categories"])
    assert written == real and link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    settings = AkeneoSettings(_env_file=link, base_url="https://pim.example.com")
    assert settings.access_token is not None and settings.access_token.get_secret_value() == "tok+en/=="
    assert settings.app_scopes == "read_products read_categories"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unwritable_place_is_a_clear_error_without_the_token(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "config"
    not_a_dir.write_text("a file where a directory should be\n")
    with pytest.raises(ConnectAppError) as info:
        save_app_token(not_a_dir / ".env", SecretStr("the-token"), ["read_products"])
    message = str(info.value)
    assert str(not_a_dir / ".env") in message and "--env-file" in message and "the-token" not in message
    assert not_a_dir.read_text() == "a file where a directory should be\n"


def test_env_example_plus_connect_app_is_a_valid_app_configuration(tmp_path: Path) -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    env_file = tmp_path / ".env"
    env_file.write_text(example.replace("AKENEO_CLIENT_ID=\n", "AKENEO_CLIENT_ID=app\n")
                        .replace("AKENEO_CLIENT_SECRET=\n", "AKENEO_CLIENT_SECRET=s\n"))
    save_app_token(env_file, SecretStr("tok"), ["read_products"])
    settings = AkeneoSettings(_env_file=env_file)
    assert settings.uses_app_token and settings.app_scopes == "read_products"
    assert settings.base_url == "https://my-pim.cloud.akeneo.com"
    assert env_file.read_text().startswith(example.splitlines(keepends=True)[0])
