"""The one exception the API layers raise: it already is the HTTP answer."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An Akeneo error answer: `{"code": status, "message": ...}` plus optional extra keys."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message, **self.extra}
