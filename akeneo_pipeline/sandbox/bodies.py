"""Reading what clients send: Basic credentials and JSON or form bodies."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs

from akeneo_pipeline.sandbox.errors import ApiError


def basic_auth(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.startswith("Basic "):
        return None, None
    try:
        client_id, _, secret = base64.b64decode(header[6:].strip()).decode().partition(":")
    except ValueError:
        return None, None
    return client_id, secret


def parse_body(raw: bytes, headers: Any) -> dict[str, Any]:
    """JSON or form-encoded, as the token endpoint accepts both."""
    if not raw:
        return {}
    if "application/x-www-form-urlencoded" in (headers.get("Content-Type") or ""):
        return {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, "Invalid json message received") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid json message received")
    return body
