"""The OAuth 2.0 client credentials flow and the bearer check of every API call.

Token endpoint (Salesforce Help, "OAuth 2.0 Client Credentials Flow for Server-to-Server
Integration"): `POST /services/oauth2/token` with a form body `grant_type=client_credentials`,
`client_id`, `client_secret`; the answer has `access_token`, `instance_url`, `id`,
`token_type` "Bearer", `issued_at`, `signature`, `scope` (the sample answer on Salesforce
Help's "Sample Request and Response for Access Token"). No refresh token is issued.
Errors are OAuth 2's `{"error", "error_description"}` with status 400 (RFC 6749 section 5.2:
`invalid_client`, `unsupported_grant_type`; Salesforce also answers `invalid_client_id`
for an unknown consumer key).

API calls without a valid token answer 401 with the REST API's error list
`[{"message", "errorCode": "INVALID_SESSION_ID"}]` (REST API Developer Guide, "Status Codes
and Error Responses").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from typing import Any

from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig

ORG_ID = "00D5g000000SANDBX"
USER_ID = "0055g000000INTEGR"


class OAuthRefused(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.body = {"error": error, "error_description": description}


class SessionInvalid(Exception):
    """401 INVALID_SESSION_ID."""


class TokenStore:
    def __init__(self, config: SalesforceSandboxConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.tokens: dict[str, float] = {}  # token -> expires at (monotonic)
        self.history: list[str] = []  # every token ever issued (tests check none reaches a log)

    def grant(self, form: dict[str, str], instance_url: str) -> dict[str, Any]:
        if form.get("grant_type") != "client_credentials":
            raise OAuthRefused("unsupported_grant_type", "grant type not supported")
        if form.get("client_id") != self.config.client_id:
            raise OAuthRefused("invalid_client_id", "client identifier invalid")
        if not hmac.compare_digest(form.get("client_secret", "").encode(), self.config.client_secret.encode()):
            raise OAuthRefused("invalid_client", "invalid client credentials")
        token = f"{ORG_ID}!{secrets.token_urlsafe(40)}"
        issued_at = str(int(time.time() * 1000))
        with self.lock:
            self.tokens[token] = time.monotonic() + self.config.token_lifetime
            self.history.append(token)
        signature = base64.b64encode(hmac.new(self.config.client_secret.encode(), (instance_url + issued_at).encode(),
                                              hashlib.sha256).digest()).decode()
        return {"access_token": token, "signature": signature, "scope": "api", "instance_url": instance_url,
                "id": f"{instance_url}/id/{ORG_ID}/{USER_ID}", "token_type": "Bearer", "issued_at": issued_at}

    def check(self, header: str | None) -> str:
        if not header or not header.startswith("Bearer "):
            raise SessionInvalid()
        token = header[len("Bearer "):].strip()
        with self.lock:
            expires = self.tokens.get(token)
            if expires is None or expires < time.monotonic():
                self.tokens.pop(token, None)
                raise SessionInvalid()
        return token

    def revoke_all(self) -> int:
        """Every session ends (as when a session times out): the next call answers 401."""
        with self.lock:
            count = len(self.tokens)
            self.tokens.clear()
        return count
