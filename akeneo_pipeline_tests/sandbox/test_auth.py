"""Tokens: password and refresh grants, expiry, Akeneo App codes, scopes and revocation."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import app_connect, exchange


def password_grant(server: SandboxServer, **overrides: str) -> httpx.Response:
    creds = {**server.credentials, **overrides}
    return httpx.post(f"{server.base_url}/api/oauth/v1/token", auth=(creds["client_id"], creds["client_secret"]),
                      json={"grant_type": "password", "username": creds["username"], "password": creds["password"]})


def api_get(server: SandboxServer, token: str, path: str = "/api/rest/v1/channels") -> httpx.Response:
    return httpx.get(f"{server.base_url}{path}", headers={"Authorization": f"Bearer {token}"})


def test_password_grant_answers_like_akeneo(sandbox: SandboxServer) -> None:
    body = password_grant(sandbox).json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope", "refresh_token"}
    assert body["token_type"] == "bearer" and body["scope"] is None and body["expires_in"] == 3600
    assert api_get(sandbox, body["access_token"]).status_code == 200


def test_form_encoded_token_request_is_accepted(sandbox: SandboxServer) -> None:
    c = sandbox.credentials
    response = httpx.post(f"{sandbox.base_url}/api/oauth/v1/token", auth=(c["client_id"], c["client_secret"]),
                          data={"grant_type": "password", "username": c["username"], "password": c["password"]})
    assert response.status_code == 200 and response.json()["access_token"]


@pytest.mark.parametrize("override,message", [
    ({"client_secret": "wrong"}, 'Parameter "client_id" is missing or does not match any client, or secret is invalid'),
    ({"client_id": "nobody"}, 'Parameter "client_id" is missing or does not match any client, or secret is invalid'),
    ({"password": "wrong"}, "No user found for the given username and password"),
    ({"username": "someone"}, "No user found for the given username and password"),
])
def test_bad_credentials_give_documented_422(sandbox: SandboxServer, override: dict[str, str], message: str) -> None:
    response = password_grant(sandbox, **override)
    assert response.status_code == 422
    assert response.json() == {"code": 422, "message": message}


def test_expired_token_gets_401_and_refresh_rotates_both_tokens(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=20, token_lifetime=1.0)
    first = password_grant(server).json()
    assert first["expires_in"] == 1
    time.sleep(1.2)
    expired = api_get(server, first["access_token"])
    assert expired.status_code == 401
    assert expired.json() == {"code": 401, "message": "The access token provided has expired."}
    c = server.credentials
    refreshed = httpx.post(f"{server.base_url}/api/oauth/v1/token", auth=(c["client_id"], c["client_secret"]),
                           json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    assert api_get(server, second["access_token"]).status_code == 200
    reused = httpx.post(f"{server.base_url}/api/oauth/v1/token", auth=(c["client_id"], c["client_secret"]),
                        json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert reused.status_code == 422 and reused.json()["message"] == "Invalid refresh token"


def test_expired_refresh_token_gives_422(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10, refresh_token_lifetime=0.5)
    first = password_grant(server).json()
    time.sleep(0.7)
    c = server.credentials
    response = httpx.post(f"{server.base_url}/api/oauth/v1/token", auth=(c["client_id"], c["client_secret"]),
                          json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert response.status_code == 422 and response.json()["message"] == "Refresh token has expired"


@pytest.mark.parametrize("header,message", [
    (None, "Authentication is required"),
    ("Bearer not-a-token", "The access token provided is invalid."),
    ("Basic c2FuZGJveDpzZWNyZXQ=", "Authentication is required"),
])
def test_missing_or_invalid_token_gets_401(sandbox: SandboxServer, header: str | None, message: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.get(f"{sandbox.base_url}/api/rest/v1/products-uuid", headers=headers)
    assert response.status_code == 401 and response.json() == {"code": 401, "message": message}


def test_change_password_refuses_the_old_one(sandbox: SandboxServer) -> None:
    old = sandbox.credentials["password"]
    sandbox.catalog.change_password("n3w-pass")
    assert password_grant(sandbox, password=old).status_code == 422
    assert password_grant(sandbox).status_code == 200  # credentials reflect the new password


def test_app_authorization_code_flow_scopes_and_revocation(sandbox: SandboxServer) -> None:
    location, query = app_connect(sandbox, redirect_uri="http://127.0.0.1:9/cb")
    assert (location.netloc, location.path, query["state"]) == ("127.0.0.1:9", "/cb", "xyz")
    token = exchange(sandbox, query["code"])
    assert token.status_code == 200
    body = token.json()
    assert set(body) == {"access_token", "token_type", "scope"}  # no refresh token, no expiry
    assert body["scope"] == "read_products read_catalog_structure"
    assert api_get(sandbox, body["access_token"], "/api/rest/v1/products-uuid").status_code == 200
    forbidden = api_get(sandbox, body["access_token"], "/api/rest/v1/categories")
    assert forbidden.status_code == 403 and "read_categories" in forbidden.json()["message"]
    assert exchange(sandbox, query["code"]).json()["error"] == "invalid_grant"  # codes are single use
    assert sandbox.catalog.revoke_app_tokens() == 1
    assert api_get(sandbox, body["access_token"], "/api/rest/v1/products-uuid").status_code == 401


def test_app_code_expiry_bad_challenge_denial_and_granted_scopes(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10, app_code_lifetime=0.3, app_granted_scopes="read_products")
    location, query = app_connect(server)
    assert f"{location.scheme}://{location.netloc}{location.path}" == server.config.app_callback_url
    assert exchange(server, query["code"], secret="wrong").json()["error"] == "invalid_client"
    _, query = app_connect(server)
    assert exchange(server, query["code"]).json()["scope"] == "read_products"
    _, query = app_connect(server)
    time.sleep(0.4)
    expired = exchange(server, query["code"])
    assert expired.status_code == 400
    assert expired.json() == {"error": "invalid_grant", "error_description": "Code has expired"}
    server.configure(app_deny=True)
    _, query = app_connect(server)
    assert query["error"] == "access_denied" and query["state"] == "xyz" and "code" not in query
