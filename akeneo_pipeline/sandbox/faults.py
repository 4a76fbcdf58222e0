"""Injected failures for the REST API, decided per request and reproducible from
`fault_seed`: server errors (500/502/503), a dropped connection, a body cut short
(Content-Length promises more than is sent) and a 200 whose JSON is malformed.

The token endpoint and `/_sandbox` never fail: tests need a reliable way in and out.
"""

from __future__ import annotations

import random
import threading

from akeneo_pipeline.sandbox.config import SandboxConfig


class FaultInjector:
    def __init__(self, config: SandboxConfig) -> None:
        self.lock = threading.Lock()
        self.reset(config)

    def reset(self, config: SandboxConfig) -> None:
        """Apply new settings; the random sequence restarts from `fault_seed`."""
        with self.lock:
            self.config = config
            self.rng = random.Random(config.fault_seed)
            self.count = 0
            self.injected: dict[str, int] = {}

    def next_fault(self) -> str | None:
        """Called once per authenticated REST call: the fault to inject, if any."""
        with self.lock:
            cfg = self.config
            self.count += 1
            kind = None
            nth = cfg.fault_on_nth is not None and self.count == cfg.fault_on_nth
            if nth or (cfg.fault_rate > 0 and self.rng.random() < cfg.fault_rate):  # the draw only when not nth
                kind = self.rng.choice(cfg.fault_kinds)
            if kind is not None:
                self.injected[kind] = self.injected.get(kind, 0) + 1
            return kind


def malformed(body: bytes) -> bytes:
    """A body that starts like the real one but is not JSON."""
    return body[: max(1, len(body) // 2)] + b'<!-- upstream error -->{"'
