"""Per-endpoint counters: what a client's calls cost, for metadata and benchmarks.

Endpoints are named by stream ("products", "attribute_options", "token", ...)
rather than by URL, so per-attribute option calls add up under one name.

A client counts everything it ever sent (`AkeneoClient.counters`); `tap()` gives a
fresh `RunCounters` that also receives every call recorded while its block runs, so
each step of a run that shares one client counts its own calls
(`AkeneoClient.metered()`), and nothing is reset behind another reader's back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields


@dataclass
class EndpointCounters:
    requests: int = 0
    retries: int = 0
    throttled: int = 0
    bytes: int = 0
    items: int = 0
    seconds: float = 0.0

    def add(self, other: EndpointCounters) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


class RunCounters:
    """Thread-safe: every worker thread of a client records into the same instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_endpoint: dict[str, EndpointCounters] = {}
        self._taps: list[RunCounters] = []

    def record(
        self,
        endpoint: str,
        *,
        requests: int = 0,
        retries: int = 0,
        throttled: int = 0,
        bytes: int = 0,
        items: int = 0,
        seconds: float = 0.0,
    ) -> None:
        with self._lock:
            counters = self._by_endpoint.setdefault(endpoint, EndpointCounters())
            counters.requests += requests
            counters.retries += retries
            counters.throttled += throttled
            counters.bytes += bytes
            counters.items += items
            counters.seconds += seconds
            taps = list(self._taps)
        for tap in taps:
            tap.record(endpoint, requests=requests, retries=retries, throttled=throttled, bytes=bytes,
                       items=items, seconds=seconds)

    @contextmanager
    def tap(self) -> Iterator[RunCounters]:
        """Fresh counters that receive what is recorded here while the block runs."""
        tapped = RunCounters()
        with self._lock:
            self._taps.append(tapped)
        try:
            yield tapped
        finally:
            with self._lock:
                self._taps.remove(tapped)

    def get(self, endpoint: str) -> EndpointCounters:
        """A copy of one endpoint's counters (zeros if it was never called)."""
        with self._lock:
            return EndpointCounters(**asdict(self._by_endpoint.get(endpoint, EndpointCounters())))

    def total(self) -> EndpointCounters:
        result = EndpointCounters()
        with self._lock:
            for counters in self._by_endpoint.values():
                result.add(counters)
        return result

    def as_dict(self) -> dict[str, dict[str, float]]:
        """`{endpoint: {requests, retries, throttled, bytes, items, seconds}}`, JSON-ready."""
        with self._lock:
            return {name: asdict(c) for name, c in sorted(self._by_endpoint.items())}
