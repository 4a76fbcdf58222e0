"""`SandboxSalesforce`: the simulated org on a real socket, started and stopped from Python
(tests, the demo) or by the CLI. It binds before `start()` returns; `port=0` picks a free port."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from akeneo_pipeline.sandbox_salesforce.auth import TokenStore
from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig
from akeneo_pipeline.sandbox_salesforce.deploys import DeployLog
from akeneo_pipeline.sandbox_salesforce.handler import SalesforceHandler
from akeneo_pipeline.sandbox_salesforce.org import Org


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut keep-alive connections too: a stopped org must look down to every client."""
        with self.connections_lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


class SandboxSalesforce:
    def __init__(self, config: SalesforceSandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SalesforceSandboxConfig()
        self.host, self.port = host, port
        self.auth = TokenStore(self.config)
        self.org = Org(self.config)
        self.org_lock = threading.Lock()
        self.deploys = DeployLog()
        self.applied_deploys: list[str] = []  # deploys that changed the org, in order
        self.requests: list[tuple[str, str, int]] = []
        self.requests_lock = threading.Lock()
        self.internal_errors: list[str] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SandboxSalesforce:
        if self._httpd is not None:
            return self
        handler = type("BoundSalesforceHandler", (SalesforceHandler,), {"sandbox": self})
        self._httpd = _HTTPServer((self.host, self.port), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"salesforce-sandbox-{self.port}",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd.close_connections()
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def serve_forever(self) -> None:
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SandboxSalesforce:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
