"""A benchmark's server in a child process: started, told apart from the measured code, stopped.

The sandbox and the latency proxy each run in their own process, so their CPU and memory
are not charged to the pipeline. Both print one JSON line (`base_url` and what else the
caller needs) once they listen, answer an admin API on that address, and end on SIGTERM.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import time
from typing import Any, Self

import httpx

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the benchmark dies, instead of serving on as an orphan."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process `pid` has used so far, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """`argv` started as a child; `info` is the JSON line it printed when it listened."""

    def __init__(self, argv: list[str], name: str, startup_timeout: float, admin_timeout: float) -> None:
        started = time.monotonic()
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, preexec_fn=die_with_parent)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(timeout=startup_timeout)
            raise RuntimeError(f"the {name} exited with {self._proc.returncode} before it listened")
        self.startup_seconds = time.monotonic() - started
        self.info: dict[str, Any] = json.loads(line)
        self.base_url: str = self.info["base_url"]
        self._admin = httpx.Client(base_url=self.base_url, timeout=admin_timeout)

    @property
    def pid(self) -> int:
        return self._proc.pid

    def cpu_seconds(self) -> float:
        """CPU time the child has used so far (user + system)."""
        return cpu_seconds(self.pid)

    def stop(self) -> None:
        self._admin.close()
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
