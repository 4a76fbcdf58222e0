"""Trading the authorization code for the App's permanent access token.

One attempt, no retries: a code is single-use and lives 30 seconds, so a retried
exchange after a lost answer would only earn "Code is not valid". The user runs
`connect-app` again instead, which is quick.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from akeneo_pipeline.akeneo.scopes import parse_scopes
from akeneo_pipeline.connect_app.authorize import TOKEN_PATH, code_challenge, new_code_identifier
from akeneo_pipeline.connect_app.credentials import AppCredentials
from akeneo_pipeline.connect_app.errors import ConnectAppError


class AppToken(BaseModel):
    """Akeneo's answer: a bearer token that never expires, and the scopes actually granted."""

    access_token: SecretStr
    token_type: str = "bearer"
    scope: str | None = None

    @property
    def scopes(self) -> list[str]:
        return sorted(parse_scopes(self.scope))


def _hint(error: str | None, description: str | None) -> str:
    text = (description or "").lower()
    if error == "invalid_client" and "challenge" in text:
        return "Akeneo rejected the code challenge: AKENEO_CLIENT_SECRET is not this App's secret"
    if error == "invalid_client":
        return "Akeneo does not know this App: check AKENEO_CLIENT_ID"
    if error == "invalid_grant" and "expired" in text:
        return ("the authorization code expired before it could be exchanged (Akeneo allows 30 seconds); "
                "run `akeneo-pipeline connect-app` again")
    if error == "invalid_grant":
        return "Akeneo no longer accepts this authorization code; run `akeneo-pipeline connect-app` again"
    return "Akeneo refused to exchange the authorization code for a token"


def _oauth_error(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        body: Any = response.json()
    except ValueError:
        return None, response.text[:200] or None
    if not isinstance(body, dict):
        return None, None
    error, description = body.get("error"), body.get("error_description") or body.get("message")
    return (str(error) if error else None), (str(description) if description else None)


def exchange_code(http: httpx.Client, credentials: AppCredentials, code: str) -> AppToken:
    """POST the code with a fresh code challenge; the granted token or a `ConnectAppError`."""
    identifier = new_code_identifier()
    form = {"client_id": credentials.client_id or "", "code": code, "grant_type": "authorization_code",
            "code_identifier": identifier, "code_challenge": code_challenge(identifier, credentials.secret)}
    try:
        response = http.post(f"{credentials.base_url}{TOKEN_PATH}", data=form)
    except httpx.HTTPError as exc:
        raise ConnectAppError(f"no answer from Akeneo at {credentials.base_url} ({type(exc).__name__})",
                              method="POST", path=TOKEN_PATH) from None
    if response.status_code != 200:
        error, description = _oauth_error(response)
        said = f"{error}: {description}" if error and description else (error or description)
        raise ConnectAppError(_hint(error, description), method="POST", path=TOKEN_PATH,
                              status=response.status_code, akeneo_message=said)
    try:
        return AppToken.model_validate_json(response.content)
    except ValidationError:
        raise ConnectAppError("Akeneo answered the code exchange without an access token",
                              method="POST", path=TOKEN_PATH, status=response.status_code) from None
