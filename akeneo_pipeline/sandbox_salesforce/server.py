"""`SandboxSalesforce`: the simulated org on a real socket, started and stopped from Python
(tests, the demo) or by the CLI. The lifecycle is loopback_server.py's."""

from __future__ import annotations

import threading
from typing import Any

from akeneo_pipeline.loopback_server import LoopbackServer
from akeneo_pipeline.sandbox_salesforce.auth import TokenStore
from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig
from akeneo_pipeline.sandbox_salesforce.deploys import DeployLog
from akeneo_pipeline.sandbox_salesforce.handler import SalesforceHandler
from akeneo_pipeline.sandbox_salesforce.org import Org


class SandboxSalesforce(LoopbackServer):
    thread_name = "salesforce-sandbox"

    def __init__(self, config: SalesforceSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.config = config or SalesforceSandboxConfig()
        self.auth = TokenStore(self.config)
        self.org = Org(self.config)
        self.org_lock = threading.Lock()
        self.deploys = DeployLog()
        self.applied_deploys: list[str] = []  # deploys that changed the org, in order
        self.requests: list[tuple[str, str, int]] = []
        self.requests_lock = threading.Lock()
        self.internal_errors: list[str] = []

    def handler_class(self) -> type[SalesforceHandler]:
        return type("BoundSalesforceHandler", (SalesforceHandler,), {"sandbox": self})

    @property
    def credentials(self) -> dict[str, str]:
        return {"instance_url": self.base_url, "client_id": self.config.client_id,
                "client_secret": self.config.client_secret}

    def configure(self, **changes: Any) -> None:
        self.config = self.config.with_changes(**changes)
        self.auth.config = self.org.config = self.config

    def log_request(self, method: str, path: str, status: int) -> None:
        with self.requests_lock:
            self.requests.append((method, path, status))

    def issued_tokens(self) -> list[str]:
        with self.auth.lock:
            return list(self.auth.history)
