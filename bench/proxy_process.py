"""bench/latency_proxy.py in its own process, in front of sandbox processes; stop() ends it.

Its own process, so the latency and the limit it enforces cost neither the client's
CPU nor the sandbox's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx

from bench.sandbox_process import die_with_parent


class ProxyProcess:
    def __init__(self, upstreams: list[str], latency_ms: float = 50.0, concurrency_limit: int = 4) -> None:
        argv = [sys.executable, "-m", "bench.latency_proxy", "--latency-ms", str(latency_ms),
                "--concurrency-limit", str(concurrency_limit)]
        for upstream in upstreams:
            argv += ["--upstream", upstream]
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, preexec_fn=die_with_parent)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(timeout=30)
            raise RuntimeError(f"the latency proxy exited with {self._proc.returncode} before it listened")
        self.base_url: str = json.loads(line)["base_url"]
        self._admin = httpx.Client(base_url=self.base_url, timeout=30.0)

    @property
    def pid(self) -> int:
        return self._proc.pid

    def stats(self) -> dict[str, Any]:
        """Requests forwarded or refused since the last reset, 429s it sent, answers by status."""
        answer: dict[str, Any] = self._admin.get("/_proxy/stats").json()
        return answer

    def reset(self) -> None:
        self._admin.post("/_proxy/reset").raise_for_status()

    def stop(self) -> None:
        self._admin.close()
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> ProxyProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
