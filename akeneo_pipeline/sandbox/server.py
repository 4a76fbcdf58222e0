"""`SandboxServer`: the simulated Akeneo on a real socket, started and stopped from
Python (tests, benchmarks) or by the CLI (the lifecycle is loopback_server.py's)."""

from __future__ import annotations

from typing import Any

from akeneo_pipeline.loopback_server import LoopbackServer
from akeneo_pipeline.sandbox import admin
from akeneo_pipeline.sandbox.app_catalogs import AppCatalogs
from akeneo_pipeline.sandbox.auth import TokenStore
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.faults import FaultInjector
from akeneo_pipeline.sandbox.handler import SandboxHandler
from akeneo_pipeline.sandbox.limits import Limiter
from akeneo_pipeline.sandbox.request_log import RequestLog, RequestLogEntry
from akeneo_pipeline.sandbox.schedule import MutationSchedule


class SandboxServer(LoopbackServer):
    thread_name = "akeneo-sandbox"

    def __init__(self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.config = config or SandboxConfig()
        self.auth = TokenStore(self.config)
        self.catalog = Catalog(self.config, auth=self.auth)
        self.limiter = Limiter(self.config)
        self.faults = FaultInjector(self.config)
        self.log = RequestLog()
        self.schedule = MutationSchedule(lambda: admin.mutation_routes(self))
        self.internal_errors: list[str] = []

    def handler_class(self) -> type[SandboxHandler]:
        return type("BoundSandboxHandler", (SandboxHandler,), {"sandbox": self})

    # ---- what clients and tests read ----------------------------------------------------
    @property
    def credentials(self) -> dict[str, str]:
        return {"client_id": self.config.client_id, "client_secret": self.config.client_secret,
                "username": self.config.username, "password": self.auth.password}

    @property
    def app_credentials(self) -> dict[str, str]:
        return {"client_id": self.config.app_client_id, "client_secret": self.config.app_client_secret}

    @property
    def app_catalogs(self) -> AppCatalogs:
        """The App catalogs, their states and the products they select (app_catalogs.py)."""
        return self.catalog.app_catalogs

    @property
    def public_url(self) -> str:
        """What absolute `_links` hrefs start with: `public_url` if configured, else the own socket."""
        return (self.config.public_url or self.base_url).rstrip("/")

    @property
    def request_log(self) -> list[RequestLogEntry]:
        return self.log.entries()

    def clear_log(self) -> None:
        self.log.clear()

    def configure(self, **changes: Any) -> None:
        """Change limits, latency, faults or token lifetimes while running."""
        if "fault_kinds" in changes:
            changes["fault_kinds"] = tuple(changes["fault_kinds"])
        self.config = self.config.with_changes(**changes)
        self.auth.config = self.limiter.config = self.config
        self.faults.reset(self.config)

    def schedule_mutation(self, path: str, after: int, mutation: str, body: dict[str, Any] | None = None) -> None:
        """Apply the admin POST route `mutation` (e.g. "attribute-options/remove") with `body` once,
        after the `after`-th REST request whose path fully matches the regex `path` (schedule.py)."""
        self.schedule.add(path, after, mutation, body)

    def apply_scheduled(self, path: str) -> None:
        """Called with the path of each REST request answered 200, before its answer is sent."""
        for entry in self.schedule.due(path):
            try:
                admin.handle(self, "POST", f"/_sandbox/{entry.mutation}", entry.body)
                self.schedule.record(entry, None)
            except ApiError as exc:
                self.schedule.record(entry, exc.message)

    def stats(self) -> dict[str, Any]:
        return {"generated_products": self.catalog.generated_products,
                "generated_product_models": self.catalog.generated_product_models,
                "generation": self.catalog.generation, "faults_injected": dict(self.faults.injected),
                "max_in_flight_seen": self.limiter.max_in_flight_seen, "internal_errors": list(self.internal_errors)}
