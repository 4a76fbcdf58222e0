"""The two pieces of Akeneo's App protocol that are pure functions: the authorize URL
the user opens, and the code challenge that proves the App knows its secret.

Akeneo's token endpoint takes no client secret; instead each exchange sends a fresh
random `code_identifier` and `sha256(code_identifier + client_secret)` in hex.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from urllib.parse import quote, urlencode

from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES

AUTHORIZE_PATH = "/connect/apps/v1/authorize"
TOKEN_PATH = "/connect/apps/v1/oauth2/token"


def new_state() -> str:
    """An unguessable `state`: the callback must bring it back, or it is a forgery."""
    return secrets.token_urlsafe(24)


def new_code_identifier() -> str:
    """High-entropy random string, like Akeneo's example `bin2hex(random_bytes(30))`."""
    return secrets.token_hex(30)


def code_challenge(code_identifier: str, client_secret: str) -> str:
    return hashlib.sha256((code_identifier + client_secret).encode()).hexdigest()


def authorize_url(base_url: str, client_id: str, state: str, scopes: Iterable[str] = REQUIRED_SCOPES) -> str:
    """`{base}/connect/apps/v1/authorize?response_type=code&client_id=..&scope=..&state=..`.

    No `redirect_uri`: Akeneo sends the user to the callback URL registered with the App.
    """
    query = urlencode({"response_type": "code", "client_id": client_id, "scope": " ".join(scopes),
                       "state": state}, quote_via=quote)
    return f"{base_url}{AUTHORIZE_PATH}?{query}"
