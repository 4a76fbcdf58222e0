"""Tokens against the sandbox: expiry mid-run, refresh rotation, re-login, App tokens, clear errors."""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoClient, AkeneoConnectionError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]
TOKEN = "/api/oauth/v1/token"


def token_calls(server: SandboxServer) -> int:
    return len([e for e in server.request_log if e.path == TOKEN])


def assert_all_products_once(pages: Iterable[list[dict[str, Any]]], server: SandboxServer) -> None:
    got = [item["uuid"] for page in pages for item in page]
    assert max(Counter(got).values()) == 1
    assert set(got) == {p["uuid"] for p in server.catalog.iter_products()}


def read_with_pause(client: AkeneoClient, pause: float) -> list[list[dict]]:
    """Read the first page, wait past the token's lifetime, read the rest."""
    pages = client.iter_entities("products")
    first = [next(pages)]
    time.sleep(pause)
    return first + list(pages)


def test_token_expiry_mid_run_is_refreshed_once_for_all_workers(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=200, token_lifetime=1)
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        pages = read_with_pause(client, 1.2)
        assert client._transport.tokens.logins == 1
        assert client._transport.tokens.refreshes == 1
    assert_all_products_once(pages, server)
    assert token_calls(server) == 2  # one login, one refresh shared by the four workers
    assert not [e for e in server.request_log if e.status == 401]


def test_refresh_tokens_rotate(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=50, token_lifetime=1)
    with AkeneoClient(settings_for(server)) as client:
        for _ in range(3):
            list(client.iter_stream("channels"))
            time.sleep(1.0)
        list(client.iter_stream("channels"))
        tokens = client._transport.tokens
        # each refresh token is single-use in the sandbox: a reused one would force a new login
        assert (tokens.logins, tokens.refreshes) == (1, 3)


def test_a_401_refreshes_once_and_a_refused_refresh_logs_in_again(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=120)
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        pages = client.iter_entities("products")
        first = [next(pages)]
        server.auth.access.clear()  # every access token forgotten: the next calls answer 401
        rest = list(pages)
        tokens = client._transport.tokens
        assert (tokens.logins, tokens.refreshes) == (1, 1)
        server.auth.access.clear()
        server.auth.refresh.clear()  # and the refresh token refused: log in again
        assert len(list(client.iter_stream("locales"))) == 1
        assert (tokens.logins, tokens.refreshes) == (2, 1)
    assert_all_products_once(first + rest, server)
    assert [e.status for e in server.request_log if e.status == 401]


def test_bad_credentials_give_one_clear_error_without_secrets(sandbox: SandboxServer) -> None:
    settings = settings_for(sandbox, password="wrong-password-x1")
    with AkeneoClient(settings) as client, pytest.raises(AkeneoAuthError) as info:
        list(client.iter_stream("channels"))
    message = str(info.value)
    assert "AKENEO_PASSWORD" in message and info.value.status == 422
    assert "No user found" in message
    assert "wrong-password-x1" not in message and sandbox.credentials["client_secret"] not in message
    assert token_calls(sandbox) == 1  # not retried

    with (
        AkeneoClient(settings_for(sandbox, client_secret="bad-secret-y2")) as client,
        pytest.raises(AkeneoAuthError, match="AKENEO_CLIENT_SECRET") as info,
    ):
        client.server_time()
    assert "bad-secret-y2" not in str(info.value)


def test_unknown_host_gives_one_clear_error(sandbox: SandboxServer) -> None:
    settings = settings_for(sandbox, base_url="https://no-such-pim.invalid/")
    with AkeneoClient(settings) as client, pytest.raises(AkeneoConnectionError) as info:
        list(client.iter_stream("channels"))
    message = str(info.value)
    assert "no-such-pim.invalid" in message and "AKENEO_BASE_URL" in message
    assert sandbox.credentials["password"] not in message and info.value.attempts == 1


def mint_app_token(server: SandboxServer) -> str:
    app = server.app_credentials
    code = server.auth.authorize(app["client_id"], "read_products read_catalog_structure read_channel_settings")
    challenge = hashlib.sha256(("ident" + app["client_secret"]).encode()).hexdigest()
    answer = server.auth.app_token({"grant_type": "authorization_code", "client_id": app["client_id"],
                                    "code": code, "code_identifier": "ident", "code_challenge": challenge})
    return str(answer["access_token"])


def test_app_token_is_used_as_is_and_a_revoked_one_says_what_to_do(sandbox: SandboxServer) -> None:
    token = mint_app_token(sandbox)
    settings = AkeneoSettings(_env_file=None, base_url=sandbox.base_url, access_token=token)
    with AkeneoClient(settings) as client:
        assert len([i for page in client.iter_stream("channels") for i in page]) == 3
        sandbox.catalog.revoke_app_tokens()
        sandbox.clear_log()
        with pytest.raises(AkeneoAuthError) as info:
            list(client.iter_stream("channels"))
    message = str(info.value)
    assert "connect-app" in message and "revoked" in message and token not in message
    assert [e.status for e in sandbox.request_log] == [401]  # no refresh, no retry loop
    assert token_calls(sandbox) == 0


def test_no_secret_or_token_reaches_the_logs(sandbox_factory: Factory, caplog: pytest.LogCaptureFixture) -> None:
    server = sandbox_factory(products=60, token_lifetime=1, fault_rate=0.3, fault_seed=3, fault_kinds=("503", "drop"))
    caplog.set_level(logging.DEBUG)
    with AkeneoClient(settings_for(server, page_size=10, backoff_base=0.01)) as client:
        read_with_pause(client, 1.1)
        server.auth.access.clear()
        list(client.iter_stream("channels"))
    issued = list(server.auth.access) + list(server.auth.refresh)
    secrets = [server.credentials["password"], server.credentials["client_secret"], *issued]
    assert caplog.records and "retrying" in caplog.text
    for secret in secrets:
        assert secret not in caplog.text
    assert "Bearer" not in caplog.text and "Authorization" not in caplog.text
