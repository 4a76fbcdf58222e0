"""What an error answer said, as short text that is safe to log.

Akeneo answers errors as `{"code", "message"}`, a 422 adding `errors: [{property,
message}]` (the responses documentation, ../shared/akeneo-api/docs/rest-api_responses.md;
the Swagger file's 4xx examples). Its OAuth endpoints answer `{"error",
"error_description"}`. What sits in front of a PIM may answer anything instead: an
HTML page from nginx or a load balancer, `{"error": ...}` from an API gateway, plain
text, or nothing at all. The body is never dropped: Akeneo's message when it has one,
else the body's own text (tags stripped, whitespace folded, truncated).

Secrets are scrubbed before truncating (a cut secret would leak its first half):
the values the client knows (token, password, client secret), `Bearer`/`Basic`
credentials and JSON fields named like credentials, whatever echoed them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

BODY_CHARS = 300
EMPTY = "(empty body)"
_MASK = "***"
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CREDENTIAL = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_SECRET_FIELD = re.compile(
    r"""(["']?(?:access_token|refresh_token|password|client_secret|secret)["']?\s*[:=]\s*)(["']?)[^"'&\s,}]+""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ErrorBody:
    """`message` and `errors` when the body has Akeneo's shape; otherwise `text`, the body itself."""

    message: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, _MASK)
    text = _CREDENTIAL.sub(lambda m: f"{m.group(1)} {_MASK}", text)
    return _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{_MASK}", text)


def shorten(text: str, limit: int = BODY_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def visible_text(raw: str) -> str:
    """An HTML page's words (a proxy's error page), or plain text with its whitespace folded."""
    if "<" in raw and ">" in raw:
        raw = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", raw)))
    return _SPACE.sub(" ", raw).strip()


def _clean(text: str, secrets: Iterable[str]) -> str:
    return shorten(scrub(text, secrets))


def read_error_body(response: httpx.Response, secrets: Iterable[str] = ()) -> ErrorBody:
    secrets = list(secrets)
    content = response.content
    if not content.strip():
        return ErrorBody(text=EMPTY)
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        text = visible_text(content.decode(response.encoding or "utf-8", errors="replace"))
        return ErrorBody(text=_clean(text, secrets) if text else EMPTY)
    if isinstance(body, dict):
        message = body.get("message")
        if message is None:
            message = body.get("error_description")
        if message is None and isinstance(body.get("error"), str):
            message = body["error"]
        if message is None and isinstance(body.get("error"), dict):
            message = body["error"].get("message")
        if isinstance(message, (str, int, float)) and str(message).strip():
            listed = body.get("errors")
            errors = listed if isinstance(listed, list) else []
            kept = [{k: _clean(str(v), secrets) if isinstance(v, str) else v for k, v in e.items()}
                    for e in errors if isinstance(e, dict)]
            return ErrorBody(message=_clean(str(message), secrets), errors=kept)
    compact = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return ErrorBody(text=_clean(compact, secrets))
