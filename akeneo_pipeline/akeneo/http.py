"""The transport: one httpx client, one semaphore, retries, auth headers and counters.

Every call to Akeneo goes through `Transport.send`, so the concurrency cap holds for
the whole client whatever thread pools sit above it. The semaphore is held only
while a request is on the wire, never while waiting for a token or sleeping before a
retry: a worker holding a slot while it waits for the token lock could starve the
thread that is refreshing the token.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import httpx

from akeneo_pipeline.akeneo.auth import TOKEN_PATH, TokenProvider
from akeneo_pipeline.akeneo.counters import RunCounters
from akeneo_pipeline.akeneo.error_body import ErrorBody, read_error_body
from akeneo_pipeline.akeneo.errors import AkeneoAuthError, AkeneoConnectionError, AkeneoHTTPError
from akeneo_pipeline.akeneo.retry import Backoff, is_retryable_status, retry_after_seconds, unresolvable_host
from akeneo_pipeline.settings import AkeneoSettings

log = logging.getLogger("akeneo_pipeline.akeneo")

APP_TOKEN_REFUSED = (
    "Akeneo refused the App access token (AKENEO_ACCESS_TOKEN): it was revoked or is invalid; "
    "run `akeneo-pipeline connect-app` again to get a new one"
)


class Transport:
    def __init__(self, settings: AkeneoSettings, counters: RunCounters, backoff: Backoff | None = None) -> None:
        self.settings = settings
        self.counters = counters
        self.backoff = backoff or Backoff(settings.backoff_base, settings.backoff_max)
        self.semaphore = threading.BoundedSemaphore(settings.max_concurrency)
        self._client = httpx.Client(
            base_url=settings.base_url,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            limits=httpx.Limits(max_connections=settings.max_concurrency + 2),
            headers={"Accept": "application/json", "User-Agent": "akeneo-pipeline"},
            follow_redirects=False,
        )
        self.tokens = TokenProvider(settings, self._post_token)

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, endpoint: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """An authenticated GET; `url` is a path under the base URL or a `_links` href."""
        return self.send("GET", url, endpoint=endpoint, params=params)

    def _post_token(self, body: dict[str, str], auth: httpx.BasicAuth) -> httpx.Response:
        return self.send("POST", TOKEN_PATH, endpoint="token", json=body, basic_auth=auth)

    def send(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        basic_auth: httpx.BasicAuth | None = None,
    ) -> httpx.Response:
        path = httpx.URL(url).path or url
        max_attempts = self.settings.max_attempts
        attempt, reauthenticated = 0, False
        while True:
            attempt += 1
            token = None if basic_auth is not None else self.tokens.token()
            headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
            started = time.monotonic()
            try:
                with self.semaphore:
                    response = self._client.request(
                        method, url, params=params, json=json, headers=headers, auth=basic_auth
                    )
            except httpx.TransportError as exc:
                self.counters.record(endpoint, requests=1, seconds=time.monotonic() - started)
                kind = type(exc).__name__
                if unresolvable_host(exc):
                    host = httpx.URL(self.settings.base_url).host
                    raise AkeneoConnectionError(
                        f"cannot resolve Akeneo host {host!r}: check AKENEO_BASE_URL",
                        method=method, path=path,
                    ) from None
                if attempt >= max_attempts:
                    raise AkeneoConnectionError(
                        f"no answer from Akeneo ({kind}) at {self.settings.base_url}",
                        method=method, path=path, attempts=attempt,
                    ) from None
                self._wait(endpoint, method, path, attempt, kind, None)
                continue
            elapsed = time.monotonic() - started
            status = response.status_code
            self.counters.record(endpoint, requests=1, bytes=len(response.content), seconds=elapsed,
                                 throttled=int(status == 429))
            if status < 300:
                return response
            if status == 401 and token is not None:
                if self.tokens.is_app_token:
                    raise AkeneoAuthError(APP_TOKEN_REFUSED, method=method, path=path, status=status)
                if not reauthenticated:
                    # Refresh once on a 401 (like Akeneo's PHP client); does not use up an attempt.
                    reauthenticated, attempt = True, attempt - 1
                    log.info("%s %s answered 401; renewing the access token", method, path)
                    self.tokens.invalidate(token)
                    continue
            if is_retryable_status(status):
                if attempt >= max_attempts:
                    said = self._error_body(response, token)
                    raise AkeneoHTTPError(
                        f"Akeneo kept answering {status}; gave up", method=method, path=path,
                        status=status, akeneo_message=said.message, attempts=attempt, body=said.text,
                    )
                self._wait(endpoint, method, path, attempt, str(status), retry_after_seconds(response))
                continue
            raise self._refusal(method, path, status, self._error_body(response, token), response, endpoint)

    def _error_body(self, response: httpx.Response, token: str | None) -> ErrorBody:
        """The error's message or body text, with every secret this client knows scrubbed out."""
        s = self.settings
        known = [token, *self.tokens.secrets(),
                 *(v.get_secret_value() for v in (s.client_secret, s.password, s.access_token) if v is not None)]
        return read_error_body(response, [k for k in known if k])

    def _refusal(self, method: str, path: str, status: int, said: ErrorBody,
                 response: httpx.Response, endpoint: str) -> Exception:
        if endpoint == "token":
            return AkeneoAuthError(
                "Akeneo refused the credentials: check AKENEO_CLIENT_ID, AKENEO_CLIENT_SECRET, "
                "AKENEO_USERNAME and AKENEO_PASSWORD",
                method=method, path=path, status=status, akeneo_message=said.message, body=said.text,
            )
        if status == 401:
            return AkeneoAuthError("Akeneo refused a freshly issued access token", method=method,
                                   path=path, status=status, akeneo_message=said.message, body=said.text)
        if 300 <= status < 400:
            location = httpx.URL(response.headers.get("Location", "")).copy_with(query=None)
            return AkeneoHTTPError(f"Akeneo redirected to {location}: set AKENEO_BASE_URL to that address",
                                   method=method, path=path, status=status)
        return AkeneoHTTPError("Akeneo refused the request", method=method, path=path, status=status,
                               akeneo_message=said.message, errors=said.errors, body=said.text)

    def _wait(self, endpoint: str, method: str, path: str, attempt: int, why: str,
              retry_after: float | None) -> None:
        delay = retry_after if retry_after is not None else self.backoff.delay(attempt)
        self.counters.record(endpoint, retries=1)
        log.warning("%s %s: %s on attempt %d; retrying in %.2fs", method, path, why, attempt, delay)
        time.sleep(delay)
