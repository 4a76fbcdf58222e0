"""The HTTP side of the Salesforce target: one httpx client, explicit timeouts, retries, the
OAuth token, and error answers turned into exceptions that name what to fix.

Authentication is the OAuth 2.0 client credentials flow (Salesforce Help, "OAuth 2.0 Client
Credentials Flow for Server-to-Server Integration",
help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm):
POST `grant_type=client_credentials&client_id=...&client_secret=...` as a form to
`https://<my-domain>.my.salesforce.com/services/oauth2/token`; the answer carries
`access_token` and `instance_url`, which later calls go to. It issues no refresh token, so a
401 on a later call (the session timed out) gets one new token and one retry.

Retried: no answer (refused or dropped connections, timeouts), 5xx, 408 and 429 (after
`Retry-After` when Salesforce sends it, else an exponential backoff with jitter). Every retry
of a deploy request sends the same package, so a request Salesforce did accept before the
answer was lost only deploys the same whole lists twice: harmless.

Secrets: the client secret and tokens are SecretStr or private here, never logged, and
scrubbed from any error body before it is kept.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from akeneo_pipeline.salesforce.errors import (
    SalesforceAuthError,
    SalesforceConnectionError,
    SalesforceError,
    SalesforceHTTPError,
)
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.settings import is_loopback

log = logging.getLogger("akeneo_pipeline.salesforce")

TOKEN_PATH = "/services/oauth2/token"
RETRYABLE_STATUSES = frozenset({408, 429})
RETRY_AFTER_CAP = 120.0
BODY_CHARS = 300


class Backoff:
    """Exponential backoff with jitter (half to all of the ceiling)."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        self.base, self.cap, self._rng = base, cap, rng or random.Random()

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)


class SalesforceTransport:
    def __init__(self, settings: SalesforceSettings, *, backoff: Backoff | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if settings.instance_url is None or settings.client_id is None or settings.client_secret is None:
            raise SalesforceError("no Salesforce org configured: set SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID "
                                  "and SALESFORCE_CLIENT_SECRET")
        self.settings = settings
        self.backoff = backoff or Backoff(settings.backoff_base, settings.backoff_max)
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            headers={"Accept": "application/json", "User-Agent": "akeneo-pipeline"},
            follow_redirects=False,
        )
        self._lock = threading.Lock()
        self._token: str | None = None
        self._api_base: str = settings.instance_url

    def close(self) -> None:
        self._client.close()

    @property
    def api_base(self) -> str:
        """Where API calls go: the `instance_url` of the last token answer."""
        return self._api_base

    # ---- token ------------------------------------------------------------------------
    def token(self) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._fetch_token()
            return self._token

    def _invalidate(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch_token(self) -> str:
        s = self.settings
        assert s.instance_url is not None and s.client_secret is not None and s.client_id is not None
        form = {"grant_type": "client_credentials", "client_id": s.client_id,
                "client_secret": s.client_secret.get_secret_value()}
        response = self._send("POST", s.instance_url + TOKEN_PATH, TOKEN_PATH, data=form, token=None)
        try:
            body = response.json()
            token, instance_url = body["access_token"], body.get("instance_url") or s.instance_url
        except (ValueError, KeyError, TypeError):
            raise SalesforceAuthError("the token endpoint answered without an access_token", method="POST",
                                      path=TOKEN_PATH, status=response.status_code) from None
        if not isinstance(token, str) or not isinstance(instance_url, str):
            raise SalesforceAuthError("the token endpoint answered an unreadable token", method="POST", path=TOKEN_PATH)
        self._api_base = self._checked_instance_url(instance_url)
        return token

    def _checked_instance_url(self, raw: str) -> str:
        url = httpx.URL(raw)
        if url.scheme == "https" or (url.scheme == "http" and is_loopback(url.host)):
            return str(url.copy_with(path="", query=None, fragment=None)).rstrip("/")
        raise SalesforceAuthError(f"the token answer's instance_url {url.scheme}://{url.host} is not https; "
                                  "check SALESFORCE_INSTANCE_URL", method="POST", path=TOKEN_PATH)

    # ---- API calls ----------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
                files: Mapping[str, Any] | None = None, expect: tuple[int, ...] = (200,)) -> httpx.Response:
        """An authenticated call to `path` under the instance URL; one new token on a 401."""
        renewed = False
        while True:
            token = self.token()
            response = self._send(method, self.api_base + path, path, params=params, files=files, token=token)
            if response.status_code == 401 and not renewed:
                log.info("%s %s answered 401; asking for a new access token", method, path)
                self._invalidate(token)
                renewed = True
                continue
            if response.status_code in expect:
                return response
            raise self._refusal(method, path, response, token)

    def _send(self, method: str, url: str, path: str, *, token: str | None, data: Mapping[str, str] | None = None,
              params: Mapping[str, str] | None = None, files: Mapping[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._client.request(method, url, data=data, params=params, files=files, headers=headers)
            except httpx.TransportError as exc:
                kind = type(exc).__name__
                if attempt >= self.settings.max_attempts:
                    raise SalesforceConnectionError(
                        f"no answer from Salesforce ({kind}) at {httpx.URL(url).copy_with(path='', query=None)}: "
                        "check SALESFORCE_INSTANCE_URL and that the org is reachable",
                        method=method, path=path, attempts=attempt) from None
                self._wait(method, path, attempt, kind, None)
                continue
            status = response.status_code
            if status in RETRYABLE_STATUSES or 500 <= status <= 599:
                if attempt >= self.settings.max_attempts:
                    raise SalesforceHTTPError(f"Salesforce kept answering {status}; gave up", method=method, path=path,
                                              status=status, salesforce_message=self._said(response, token),
                                              attempts=attempt)
                self._wait(method, path, attempt, str(status), _retry_after(response))
                continue
            if path == TOKEN_PATH and status >= 300:
                raise self._token_refusal(response)
            return response

    def _wait(self, method: str, path: str, attempt: int, why: str, retry_after: float | None) -> None:
        delay = retry_after if retry_after is not None else self.backoff.delay(attempt)
        log.warning("%s %s: %s on attempt %d; retrying in %.2fs", method, path, why, attempt, delay)
        self._sleep(delay)

    def _token_refusal(self, response: httpx.Response) -> SalesforceAuthError:
        said = self._said(response, None)
        code = ""
        with contextlib.suppress(ValueError, AttributeError):
            code = str(response.json().get("error", ""))
        hint = {"invalid_client": "check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the app's consumer "
                                  "key and secret)",
                "invalid_client_id": "check SALESFORCE_CLIENT_ID (the app's consumer key)",
                "invalid_grant": "enable the client credentials flow on the app and give it a run-as user, or check "
                                 "SALESFORCE_CLIENT_SECRET",
                "unsupported_grant_type": "enable the client credentials flow on the app"}.get(
            code, "check SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET and SALESFORCE_INSTANCE_URL (the org's "
                  "My Domain URL)")
        return SalesforceAuthError(f"Salesforce refused the client credentials: {hint}", method="POST",
                                   path=TOKEN_PATH, status=response.status_code, salesforce_message=said)

    def _refusal(self, method: str, path: str, response: httpx.Response, token: str | None) -> SalesforceError:
        status = response.status_code
        said = self._said(response, token)
        if status == 401:
            return SalesforceAuthError("Salesforce refused a freshly issued access token (is the app's run-as user "
                                       "active and allowed the API?)", method=method, path=path, status=status,
                                       salesforce_message=said)
        if 300 <= status < 400:
            location = httpx.URL(response.headers.get("Location", "")).copy_with(query=None)
            return SalesforceHTTPError(f"Salesforce redirected to {location}: set SALESFORCE_INSTANCE_URL to the org's "
                                       "My Domain URL", method=method, path=path, status=status)
        # Metadata API Edit Access (meta_modify_metadata_perm.htm): Modify Metadata Through Metadata API
        # Functions or Modify All Data, plus the permission of the feature (Customize Application).
        hint = {403: "Salesforce refused the request: the app's run-as user needs Modify Metadata Through Metadata "
                     "API Functions (or Modify All Data) and Customize Application",
                404: "Salesforce does not know this resource: check SALESFORCE_API_VERSION and SALESFORCE_INSTANCE_URL"}
        return SalesforceHTTPError(hint.get(status, "Salesforce refused the request"), method=method, path=path,
                                   status=status, salesforce_message=said)

    def _said(self, response: httpx.Response, token: str | None) -> str | None:
        """Salesforce's message: `[{"errorCode", "message"}]` (REST API), `{"error",
        "error_description"}` (OAuth), or the body's start; with every secret this client knows masked."""
        text: str | None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, list) and body and isinstance(body[0], dict):
            text = "; ".join(f"{e.get('errorCode', '')}: {e.get('message', '')}".strip(": ") for e in body[:5])
        elif isinstance(body, dict) and ("error" in body or "message" in body):
            text = ": ".join(str(body[k]) for k in ("error", "error_description", "message") if body.get(k))
        elif body is not None:
            text = json.dumps(body)[:BODY_CHARS]
        else:
            text = response.text[:BODY_CHARS].strip() or None
        if text is None:
            return None
        secrets = [token, self._token]
        if self.settings.client_secret is not None:
            secrets.append(self.settings.client_secret.get_secret_value())
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
        return text


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    try:
        return None if raw is None else min(max(float(raw), 0.0), RETRY_AFTER_CAP)
    except ValueError:
        return None
