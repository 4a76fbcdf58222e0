"""The Akeneo App flow against the sandbox: authorize, callback, state check, code
exchange (right and wrong challenge, expired code), deny, missing scopes, activation.

The "browser" is httpx following redirects from the authorize URL to the listener;
the sandbox's test "user" approves (or denies) at once.
"""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from pydantic import SecretStr

from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES
from akeneo_pipeline.connect_app import AppConnector, AppCredentials, ConnectAppError, authorize_url
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline_tests.fixtures.browser import browse

Factory = Callable[..., SandboxServer]


def app_credentials(server: SandboxServer, **overrides: object) -> AppCredentials:
    app = server.app_credentials
    values: dict[str, object] = {"base_url": server.base_url, "client_id": app["client_id"],
                                 "client_secret": SecretStr(app["client_secret"]), "read_timeout": 10.0}
    values.update(overrides)
    return AppCredentials(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def connect(tmp_path: Path) -> Iterator[Callable[..., AppConnector]]:
    """An AppConnector on a free port whose sandbox sends the browser back to it,
    as Akeneo does with the callback URL registered for the App."""
    opened: list[AppConnector] = []

    def make(server: SandboxServer, **overrides: object) -> AppConnector:
        connector = AppConnector(app_credentials(server, **overrides), tmp_path / ".env", port=0)
        opened.append(connector)
        server.configure(app_callback_url=connector.callback_url)
        return connector

    yield make
    for connector in opened:
        connector.close()


def test_authorize_url_asks_for_every_read_scope_the_pipeline_needs() -> None:
    url = urlsplit(authorize_url("https://pim.example.com", "my app", "s1"))
    assert (url.scheme, url.netloc, url.path) == ("https", "pim.example.com", "/connect/apps/v1/authorize")
    query = parse_qs(url.query)
    assert query == {"response_type": ["code"], "client_id": ["my app"], "state": ["s1"],
                     "scope": [" ".join(REQUIRED_SCOPES)]}
    assert set(REQUIRED_SCOPES) == {"read_products", "read_catalog_structure", "read_attribute_options",
                                    "read_categories", "read_channel_settings", "read_channel_localization",
                                    "read_association_types"}


def test_approved_app_gets_a_token_saved_owner_only_and_readable_by_the_settings(
    sandbox: SandboxServer, connect: Callable[..., AppConnector], tmp_path: Path,
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    (tmp_path / ".env").write_text("# mine\nAKENEO_BASE_URL=keep-me\nAKENEO_ACCESS_TOKEN=old\n")
    connector = connect(sandbox)
    page = browse(connector.authorize_url)
    assert page.status_code == 200 and "connected" in page.text
    assert page.url.path == "/callback" and page.url.params["state"] == connector.state
    result = connector.wait(5)

    assert result.token_file == (tmp_path / ".env").resolve()
    assert set(result.scopes) == set(REQUIRED_SCOPES)
    assert stat.S_IMODE(result.token_file.stat().st_mode) == 0o600
    text = result.token_file.read_text()
    assert text.startswith("# mine\nAKENEO_BASE_URL=keep-me\nAKENEO_ACCESS_TOKEN='")
    assert "=old" not in text and text.count("AKENEO_ACCESS_TOKEN=") == 1
    settings = AkeneoSettings(_env_file=result.token_file, base_url=sandbox.base_url)
    assert settings.access_token is not None and settings.uses_app_token
    token = settings.access_token.get_secret_value()
    assert token in sandbox.auth.access and sandbox.auth.access[token].expires_at is None
    assert settings.app_scopes is not None and set(settings.app_scopes.split()) == set(REQUIRED_SCOPES)
    out = capsys.readouterr()
    assert token not in caplog.text + out.out + out.err + page.text


def test_forged_state_is_refused_and_nothing_is_exchanged(
    sandbox: SandboxServer, connect: Callable[..., AppConnector], tmp_path: Path
) -> None:
    connector = connect(sandbox)
    forged = connector.authorize_url.replace(f"state={connector.state}", "state=forged")
    page = browse(forged)
    assert page.status_code == 400
    with pytest.raises(ConnectAppError, match="state does not match") as info:
        connector.wait(5)
    assert "nothing was saved" in str(info.value)
    assert not (tmp_path / ".env").exists()
    assert not any(e.path == "/connect/apps/v1/oauth2/token" for e in sandbox.request_log)
    assert len(sandbox.auth.codes) == 1  # the code was never spent


def test_wrong_secret_gives_a_wrong_code_challenge_that_names_the_secret(
    sandbox: SandboxServer, connect: Callable[..., AppConnector], tmp_path: Path
) -> None:
    connector = connect(sandbox, client_secret=SecretStr("not-the-app-secret"))
    assert browse(connector.authorize_url).status_code == 400
    with pytest.raises(ConnectAppError) as info:
        connector.wait(5)
    message = str(info.value)
    assert "AKENEO_CLIENT_SECRET" in message and "Code challenge is invalid" in message
    assert "POST /connect/apps/v1/oauth2/token" in message and "status: 400" in message
    assert "not-the-app-secret" not in message
    assert not (tmp_path / ".env").exists()


def test_expired_code_says_to_run_again(
    sandbox_factory: Factory, connect: Callable[..., AppConnector], tmp_path: Path
) -> None:
    server = sandbox_factory(products=5, app_code_lifetime=0.000001)
    connector = connect(server)
    browse(connector.authorize_url)
    with pytest.raises(ConnectAppError, match="expired") as info:
        connector.wait(5)
    assert "30 seconds" in str(info.value) and "connect-app" in str(info.value)
    assert not (tmp_path / ".env").exists()


def test_denied_authorization_is_one_clear_message(
    sandbox_factory: Factory, connect: Callable[..., AppConnector], tmp_path: Path
) -> None:
    server = sandbox_factory(products=5, app_deny=True)
    connector = connect(server)
    page = browse(connector.authorize_url)
    assert page.status_code == 400 and "denied" in page.text
    with pytest.raises(ConnectAppError, match="denied") as info:
        connector.wait(5)
    assert "access_denied" in str(info.value)
    assert not (tmp_path / ".env").exists()


def test_missing_scope_is_named_and_the_token_is_not_saved(
    sandbox_factory: Factory, connect: Callable[..., AppConnector], tmp_path: Path
) -> None:
    server = sandbox_factory(products=5, app_granted_scopes="read_products write_catalog_structure read_categories")
    connector = connect(server)
    browse(connector.authorize_url)
    with pytest.raises(ConnectAppError) as info:
        connector.wait(5)
    message = str(info.value)
    assert "read_attribute_options, read_channel_settings, read_channel_localization, read_association_types" in message
    assert "read_catalog_structure" not in message  # write_ implies read_
    assert not (tmp_path / ".env").exists()


def test_activation_from_the_app_store_redirects_to_authorize(
    sandbox: SandboxServer, connect: Callable[..., AppConnector]
) -> None:
    connector = connect(sandbox)
    page = browse(f"{connector.activate_url}?{urlencode({'pim_url': sandbox.base_url + '/'})}")
    assert [r.url.path for r in page.history] == ["/activate", "/connect/apps/v1/authorize"]
    assert page.status_code == 200
    assert set(connector.wait(5).scopes) == set(REQUIRED_SCOPES)


def test_activation_from_another_pim_is_refused(sandbox: SandboxServer, connect: Callable[..., AppConnector]) -> None:
    connector = connect(sandbox)
    page = browse(f"{connector.activate_url}?pim_url=https%3A%2F%2Fother-pim.example.com")
    assert page.status_code == 400 and not page.history
    with pytest.raises(ConnectAppError, match=r"other-pim\.example\.com.*AKENEO_BASE_URL"):
        connector.wait(5)
    assert not any(e.path.startswith("/connect/") for e in sandbox.request_log)


def test_no_answer_within_the_timeout_names_the_callback_url(
    sandbox: SandboxServer, connect: Callable[..., AppConnector]
) -> None:
    connector = connect(sandbox)
    with pytest.raises(ConnectAppError, match="callback URL") as info:
        connector.wait(0.05)
    assert connector.callback_url in str(info.value)
