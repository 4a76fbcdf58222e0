"""The request log tests and benchmarks read: one entry per HTTP request, no secrets
(the Authorization header and request bodies are never recorded)."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RequestLogEntry:
    method: str
    path: str
    query: str
    status: int  # 0 when the connection was dropped without an answer
    latency_ms: float
    started_at: float  # time.time() when the request arrived
    fault: str | None = None
    throttled: str | None = None  # "concurrent calls" / "requests per second" on a 429

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RequestLogEntry] = []

    def add(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RequestLogEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
