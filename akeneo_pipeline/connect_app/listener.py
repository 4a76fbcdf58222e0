"""The local web server Akeneo sends the browser back to: `/callback` after the user
approves (or denies) the App, `/activate?pim_url=...` when the user starts from
Akeneo's App Store screen.

It only listens on 127.0.0.1 and never logs request lines: the callback's query
string holds the authorization code.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

CALLBACK_PATH = "/callback"
ACTIVATE_PATH = "/activate"


@dataclass(frozen=True)
class Reply:
    """A page to show the user, or a redirect when `location` is set."""

    status: int
    message: str
    location: str | None = None


class Routes(Protocol):
    def callback(self, query: dict[str, str]) -> Reply: ...

    def activate(self, query: dict[str, str]) -> Reply: ...


def _page(reply: Reply) -> bytes:
    title = "akeneo-pipeline: App connected" if reply.status < 400 else "akeneo-pipeline: App not connected"
    return (f"<!doctype html><meta charset=utf-8><title>{title}</title>"
            f"<h1>{title}</h1><p>{html.escape(reply.message)}</p>").encode()


class _Handler(BaseHTTPRequestHandler):
    routes: Routes
    timeout = 30

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == CALLBACK_PATH:
            reply = self.routes.callback(query)
        elif url.path == ACTIVATE_PATH:
            reply = self.routes.activate(query)
        else:
            reply = Reply(404, f"Nothing here; Akeneo should send you to {CALLBACK_PATH} or {ACTIVATE_PATH}.")
        body = b"" if reply.location else _page(reply)
        self.send_response(reply.status)
        if reply.location:
            self.send_header("Location", reply.location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the default would print the request line, authorization code and all."""


class CallbackListener:
    """`http://127.0.0.1:{port}`; `port=0` picks a free one (tests)."""

    def __init__(self, routes: Routes, port: int, host: str = "127.0.0.1") -> None:
        handler = type("BoundCallbackHandler", (_Handler,), {"routes": routes})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.host, self.port = host, self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"connect-app-{self.port}", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
