"""The sandbox Akeneo in its own process, driven through its admin API.

Benchmarks run the sandbox in a separate process so that its CPU and memory are
not charged to the pipeline: the pipeline's peak RSS is measured on a child that
holds nothing but the client and the store, and the sandbox's own Python threads
do not compete with the reader for one GIL.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import SecretStr

from akeneo_pipeline.settings import AkeneoSettings
from bench.server_process import ServerProcess

STARTUP_TIMEOUT_SECONDS = 600.0


class SandboxProcess(ServerProcess):
    """`python -m akeneo_pipeline.sandbox serve` on a free port; stop() ends it."""

    def __init__(self, products: int, seed: int = 1, **config: Any) -> None:
        self.products = products
        argv = [sys.executable, "-m", "akeneo_pipeline.sandbox", "serve", "--port", "0",
                "--products", str(products), "--seed", str(seed)]
        for name, value in config.items():
            argv += [f"--{name.replace('_', '-')}", str(value)]
        super().__init__(argv, "sandbox", STARTUP_TIMEOUT_SECONDS, admin_timeout=600.0)
        self.credentials = {k: self.info[k] for k in ("client_id", "client_secret", "username", "password")}

    def settings(self, **overrides: Any) -> AkeneoSettings:
        """Client settings for this sandbox, explicit so no AKENEO_* environment leaks in."""
        values: dict[str, Any] = dict(
            base_url=self.base_url, client_id=self.credentials["client_id"],
            client_secret=SecretStr(self.credentials["client_secret"]), username=self.credentials["username"],
            password=SecretStr(self.credentials["password"]), read_timeout=120.0, backoff_base=0.05, backoff_max=1.0,
        )
        values.update(overrides)
        return AkeneoSettings(_env_file=None, **values)

    def admin(self, method: str, route: str, body: dict[str, Any] | None = None) -> Any:
        response = self._admin.request(method, f"/_sandbox/{route}", json=body)
        response.raise_for_status()
        return response.json()

    def configure(self, **changes: Any) -> None:
        self.admin("POST", "configure", changes)

    def clear_log(self) -> None:
        self.admin("POST", "log/clear")

    def log(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.admin("GET", "log")["entries"]
        return entries

    def api_requests(self) -> list[dict[str, Any]]:
        """Logged REST API calls (token calls included, admin calls never logged)."""
        return [e for e in self.log() if not e["path"].startswith("/_sandbox")]

    def rss_kib(self) -> int:
        """The sandbox's own peak RSS (VmHWM), to report that serving the catalog stays reasonable."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0
