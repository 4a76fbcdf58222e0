"""Tokens: the password grant, refresh before expiry, and the static Akeneo App token.

One token is shared by every worker thread. A lock makes one thread at a time
refresh it; the others wait and then use the fresh token instead of each asking
for their own (Akeneo would happily issue four, and each login costs a call).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from akeneo_pipeline.akeneo.errors import AkeneoAuthError
from akeneo_pipeline.settings import AkeneoSettings

log = logging.getLogger("akeneo_pipeline.akeneo")

TOKEN_PATH = "/api/oauth/v1/token"

# Posts a token request (grant body) and returns the HTTP answer; http.py supplies it
# so token calls get the same retries, timeouts and counters as every other call.
TokenPoster = Callable[[dict[str, str], httpx.BasicAuth], httpx.Response]


@dataclass
class _Token:
    access: str
    refresh: str | None
    expires_at: float  # time.monotonic() deadline, early by a safety margin


class TokenProvider:
    """Hands out a valid bearer token; `invalidate` after a 401 forces a new one."""

    def __init__(self, settings: AkeneoSettings, post: TokenPoster) -> None:
        self._settings = settings
        self._post = post
        self._lock = threading.Lock()
        self._token: _Token | None = None
        self.logins = 0
        self.refreshes = 0

    @property
    def is_app_token(self) -> bool:
        return self._settings.access_token is not None

    def token(self) -> str:
        if self._settings.access_token is not None:
            return self._settings.access_token.get_secret_value()
        with self._lock:
            if self._token is None or time.monotonic() >= self._token.expires_at:
                self._token = self._renew(self._token)
            return self._token.access

    def secrets(self) -> list[str]:
        """The tokens held now, for scrubbing error bodies that might echo them."""
        token = self._token
        return [t for t in (token.access, token.refresh) if t] if token is not None else []

    def invalidate(self, used: str) -> None:
        """Drop `used` unless another thread already replaced it: after a burst of 401s
        the token is renewed once, not once per failed request."""
        with self._lock:
            if self._token is not None and self._token.access == used:
                self._token.expires_at = 0.0

    def _renew(self, old: _Token | None) -> _Token:
        if old is not None and old.refresh:
            try:
                token = self._grant({"grant_type": "refresh_token", "refresh_token": old.refresh})
                self.refreshes += 1
                log.info("Akeneo access token refreshed")
                return token
            except AkeneoAuthError as exc:
                log.warning("Akeneo refused the refresh token (%s); logging in again", exc.akeneo_message)
        s = self._settings
        assert s.username and s.password is not None
        token = self._grant(
            {"grant_type": "password", "username": s.username, "password": s.password.get_secret_value()}
        )
        self.logins += 1
        log.info("Logged in to Akeneo as API user %s", s.username)
        return token

    def _grant(self, body: dict[str, str]) -> _Token:
        s = self._settings
        assert s.client_id and s.client_secret is not None
        auth = httpx.BasicAuth(s.client_id, s.client_secret.get_secret_value())
        response = self._post(body, auth)
        try:
            payload = response.json()
            access = payload["access_token"]
            lifetime = float(payload.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError):
            raise AkeneoAuthError(
                "Akeneo answered the token request without an access token",
                method="POST", path=TOKEN_PATH, status=response.status_code,
            ) from None
        margin = min(60.0, lifetime / 10)
        return _Token(access, payload.get("refresh_token"), time.monotonic() + lifetime - margin)
