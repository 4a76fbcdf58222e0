"""Exceptions that carry what a person needs to act: the endpoint, the status, Akeneo's message
(or, when the answer was not Akeneo's `{"code", "message"}`, the start of the body itself).

The endpoint is the method and the path only: never the query string (a cursor is
noise, and nothing secret ever belongs in a URL) and never a header, so an error can
be logged, stored in run metadata or shown in the Dagster UI as it is.
"""

from __future__ import annotations

from typing import Any


class AkeneoError(Exception):
    """Base class: every failure of the Akeneo client is one of these."""

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        akeneo_message: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        attempts: int = 1,
        body: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.akeneo_message = akeneo_message
        self.errors = errors or []
        self.attempts = attempts
        self.body = body
        super().__init__(self._render(message))

    @property
    def endpoint(self) -> str | None:
        """`METHOD /path`, the way a person would look it up in the API reference."""
        if self.path is None:
            return None
        return f"{self.method or 'GET'} {self.path}"

    def _render(self, message: str) -> str:
        parts = [message]
        if self.endpoint:
            parts.append(f"endpoint: {self.endpoint}")
        if self.status is not None:
            parts.append(f"status: {self.status}")
        if self.akeneo_message:
            parts.append(f"Akeneo says: {self.akeneo_message}")
        if self.body:
            parts.append(f"body: {self.body}")
        for error in self.errors[:5]:
            prop, msg = error.get("property"), error.get("message")
            parts.append(f"{prop}: {msg}" if prop else str(msg))
        if self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        return "; ".join(parts)


class AkeneoAuthError(AkeneoError):
    """Credentials refused, or a token Akeneo no longer accepts. Retrying will not help."""


class AkeneoHTTPError(AkeneoError):
    """An HTTP error status: a 4xx Akeneo refused, or a retryable status that never cleared."""


class AkeneoConnectionError(AkeneoError):
    """No HTTP answer at all: unknown host, refused or dropped connections, timeouts."""


class MalformedResponseError(AkeneoError):
    """A 200 whose body is not what the API documents. Raised, never skipped: stopping
    quietly at a broken page would lose the rest of the catalog."""


class ServerTimeZoneError(AkeneoError):
    """The server stamps items with offsets AKENEO_TIMEZONE does not give: filter dates written
    in that zone would be read as other instants, and a read would skip changes."""
