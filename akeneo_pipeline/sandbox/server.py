"""`SandboxServer`: the simulated Akeneo on a real socket, started and stopped from
Python (tests, benchmarks) or by the CLI.

It binds before `start()` returns, so `base_url` is usable at once; `port=0`
asks the OS for a free port.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Any

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


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

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
        """Cut keep-alive connections too: a stopped sandbox must look dead to every client."""
        with self.connections_lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    def __init__(self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SandboxConfig()
        self.host, self.port = host, port
        self.auth = TokenStore(self.config)
        self.catalog = Catalog(self.config, auth=self.auth)
        self.limiter = Limiter(self.config)
        self.faults = FaultInjector(self.config)
        self.log = RequestLog()
        self.schedule = MutationSchedule(lambda: admin.mutation_routes(self))
        self.internal_errors: list[str] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle --------------------------------------------------------------------
    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        handler = type("BoundSandboxHandler", (SandboxHandler,), {"sandbox": self})
        self._httpd = _HTTPServer((self.host, self.port), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"akeneo-sandbox-{self.port}",
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
        """Run in the calling thread until interrupted (the CLI)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- what clients and tests read ----------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
