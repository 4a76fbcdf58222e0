"""Throttling as Akeneo does it: at most N calls in flight per access token and at
most R calls per second per instance; over either, a 429 with (or, to test
clients, without) `Retry-After`.

A slot is held for the whole request including the simulated latency, so a slow
server fills the limit the way a real one does.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from akeneo_pipeline.sandbox.config import SandboxConfig


class Throttled(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Limiter:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.recent: deque[float] = deque()
        self.max_in_flight_seen = 0

    @contextmanager
    def slot(self, token: str) -> Iterator[None]:
        """Hold one of the token's concurrent-call slots, or raise Throttled."""
        cfg = self.config
        with self.lock:
            now = time.monotonic()
            if cfg.rps_limit is not None:
                while self.recent and self.recent[0] <= now - 1.0:
                    self.recent.popleft()
                if len(self.recent) >= cfg.rps_limit:
                    raise Throttled("requests per second")
                self.recent.append(now)
            count = self.in_flight.get(token, 0)
            total = sum(self.in_flight.values())
            if cfg.instance_concurrency_limit is not None and total >= cfg.instance_concurrency_limit:
                raise Throttled("concurrent calls on the instance")
            if cfg.concurrency_limit is not None and count >= cfg.concurrency_limit:
                raise Throttled("concurrent calls")
            self.in_flight[token] = count + 1
            self.max_in_flight_seen = max(self.max_in_flight_seen, count + 1)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight[token] -= 1
                if not self.in_flight[token]:
                    del self.in_flight[token]
