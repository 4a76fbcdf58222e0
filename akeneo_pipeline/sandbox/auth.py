"""Tokens: the API connection's password and refresh grants, Akeneo App codes and
tokens, and the check every REST call goes through.

Error bodies are Akeneo's: 422 `{"code", "message"}` on the connection token
endpoint, OAuth 2 `{"error", "error_description"}` (HTTP 400) on the App one,
401 `{"code", "message"}` on API calls.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.errors import ApiError

BAD_CLIENT = 'Parameter "client_id" is missing or does not match any client, or secret is invalid'


class OAuthError(Exception):
    """An App token endpoint error (RFC 6749 section 5.2)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.body = {"error": error, "error_description": description}


@dataclass
class Token:
    expires_at: float | None  # None: an App token, which never expires
    scopes: frozenset[str] | None  # None: a connection token, which may read everything
    revoked: bool = False


class TokenStore:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.password = config.password
        self.lock = threading.Lock()
        self.access: dict[str, Token] = {}
        self.refresh: dict[str, float] = {}  # refresh token -> expires_at
        self.codes: dict[str, tuple[float, str]] = {}  # App authorization code -> (expires_at, scope)

    def _issue(self) -> dict[str, object]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.monotonic()
        self.access[access] = Token(now + self.config.token_lifetime, None)
        self.refresh[refresh] = now + self.config.refresh_token_lifetime
        return {"access_token": access, "expires_in": int(self.config.token_lifetime), "token_type": "bearer",
                "scope": None, "refresh_token": refresh}

    def grant(self, client_id: str | None, client_secret: str | None, body: dict[str, str]) -> dict[str, object]:
        """`POST /api/oauth/v1/token`: password or refresh_token grant."""
        cfg = self.config
        if client_id != cfg.client_id or client_secret != cfg.client_secret:
            raise ApiError(422, BAD_CLIENT)
        grant_type = body.get("grant_type")
        with self.lock:
            if grant_type == "password":
                if body.get("username") != cfg.username or body.get("password") != self.password:
                    raise ApiError(422, "No user found for the given username and password")
                return self._issue()
            if grant_type == "refresh_token":
                expires_at = self.refresh.pop(str(body.get("refresh_token")), None)
                if expires_at is None:
                    raise ApiError(422, "Invalid refresh token")
                if expires_at < time.monotonic():
                    raise ApiError(422, "Refresh token has expired")
                return self._issue()
        raise ApiError(422, 'Parameter "grant_type" is missing or its value is not supported '
                            '(expected "password" or "refresh_token")')

    def authorize(self, client_id: str | None, scope: str) -> str:
        """Approve an App authorization request; return a fresh code."""
        if client_id != self.config.app_client_id:
            raise OAuthError("invalid_client", "Unknown client_id")
        granted = self.config.app_granted_scopes if self.config.app_granted_scopes is not None else scope
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = (time.monotonic() + self.config.app_code_lifetime, granted)
        return code

    def app_token(self, form: dict[str, str]) -> dict[str, object]:
        """`POST /connect/apps/v1/oauth2/token`: exchange a code for a permanent token."""
        cfg = self.config
        if form.get("grant_type") != "authorization_code":
            raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code")
        missing = [k for k in ("client_id", "code", "code_identifier", "code_challenge") if not form.get(k)]
        if missing:
            raise OAuthError("invalid_request", f"Missing parameter(s): {', '.join(missing)}")
        if form["client_id"] != cfg.app_client_id:
            raise OAuthError("invalid_client", "Unknown client_id")
        expected = hashlib.sha256((form["code_identifier"] + cfg.app_client_secret).encode()).hexdigest()
        if not secrets.compare_digest(expected, form["code_challenge"]):
            raise OAuthError("invalid_client", "Code challenge is invalid")
        with self.lock:
            entry = self.codes.pop(form["code"], None)
            if entry is None:
                raise OAuthError("invalid_grant", "Code is not valid")
            expires_at, scope = entry
            if expires_at < time.monotonic():
                raise OAuthError("invalid_grant", "Code has expired")
            token = secrets.token_urlsafe(32)
            self.access[token] = Token(None, frozenset(scope.split()))
        return {"access_token": token, "token_type": "bearer", "scope": scope}

    def check(self, header: str | None) -> tuple[str, Token]:
        """The bearer token of an API call, or the 401 Akeneo would answer."""
        if not header or not header.startswith("Bearer "):
            raise ApiError(401, "Authentication is required")
        raw = header[len("Bearer "):].strip()
        with self.lock:
            token = self.access.get(raw)
        if token is None or token.revoked:
            raise ApiError(401, "The access token provided is invalid.")
        if token.expires_at is not None and token.expires_at < time.monotonic():
            raise ApiError(401, "The access token provided has expired.")
        return raw, token

    def change_password(self, new_password: str) -> None:
        with self.lock:
            self.password = new_password

    def revoke_app_tokens(self) -> int:
        with self.lock:
            app_tokens = [t for t in self.access.values() if t.expires_at is None and not t.revoked]
            for token in app_tokens:
                token.revoked = True
            return len(app_tokens)
