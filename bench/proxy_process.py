"""bench/latency_proxy.py in its own process, in front of sandbox processes; stop() ends it.

Its own process, so the latency and the limit it enforces cost neither the client's
CPU nor the sandbox's.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.server_process import ServerProcess


class ProxyProcess(ServerProcess):
    def __init__(self, upstreams: list[str], latency_ms: float = 50.0, concurrency_limit: int = 4) -> None:
        argv = [sys.executable, "-m", "bench.latency_proxy", "--latency-ms", str(latency_ms),
                "--concurrency-limit", str(concurrency_limit)]
        for upstream in upstreams:
            argv += ["--upstream", upstream]
        super().__init__(argv, "latency proxy", startup_timeout=30.0, admin_timeout=30.0)

    def stats(self) -> dict[str, Any]:
        """Requests forwarded or refused since the last reset, 429s it sent, answers by status."""
        answer: dict[str, Any] = self._admin.get("/_proxy/stats").json()
        return answer

    def reset(self) -> None:
        self._admin.post("/_proxy/reset").raise_for_status()
