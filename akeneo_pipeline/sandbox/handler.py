"""The HTTP request handler: token endpoints, App authorization, the REST API (with
auth, scopes, throttling, latency and faults, in that order) and the admin API.

HTTP/1.1 with keep-alive, like a real server behind a load balancer; every answer
has a `Date` header (clients use it as the server clock) and a Content-Length.
"""

from __future__ import annotations

import json
import random
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import orjson

from akeneo_pipeline.sandbox import admin, app_catalog_routes
from akeneo_pipeline.sandbox.auth import OAuthError
from akeneo_pipeline.sandbox.bodies import basic_auth, parse_body
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.faults import malformed
from akeneo_pipeline.sandbox.limits import Throttled
from akeneo_pipeline.sandbox.request_log import RequestLogEntry
from akeneo_pipeline.sandbox.reshape import error_answer, reshape
from akeneo_pipeline.sandbox.route_list import route_list, system_information
from akeneo_pipeline.sandbox.routes import API, dispatch, has_scope, required_scope

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.server import SandboxServer

SERVER_ERRORS = {"500": "Internal Server Error", "502": "Bad Gateway", "503": "Service Unavailable"}


def encode_json(body: Any) -> bytes:
    """orjson when it can (the sandbox's CPU is what a benchmark waits on); the stdlib for
    what orjson refuses, such as integers beyond 64 bits that a test may plant."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # idle keep-alive connections are closed after this many seconds
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait 40 ms between them
    server_version = "AkeneoSandbox/1.0"
    sandbox: SandboxServer  # set on the subclass the server builds

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the RequestLog is the log; stderr noise would drown test output

    def do_GET(self) -> None:
        self.handle_any("GET")

    def do_POST(self) -> None:
        self.handle_any("POST")

    def do_PATCH(self) -> None:
        self.handle_any("PATCH")

    def do_DELETE(self) -> None:
        self.handle_any("DELETE")

    def handle_any(self, method: str) -> None:
        self.started, self.wall = time.monotonic(), time.time()
        self.method, self.url = method, urlsplit(self.path)
        query = parse_qs(self.url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        self.fault: str | None = None
        self.throttled: str | None = None
        self.logged = False
        try:
            self.route(method, self.url.path, query, raw_body)
        except ApiError as exc:
            self.send_error_body(exc.status, exc.body())
        except Throttled as exc:
            self.throttled = exc.reason
            headers = {"Retry-After": "1"} if self.sandbox.config.retry_after else {}
            self.send_json(429, {"code": 429, "message": "Too Many Requests"}, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.record(0)
        except Exception as exc:  # a sandbox bug: answer 500 and keep it for tests to see
            self.sandbox.internal_errors.append(f"{method} {self.path}: {exc!r}")
            self.send_json(500, {"code": 500, "message": f"sandbox internal error: {exc!r}"})

    def record(self, status: int) -> None:
        """Log the request before its answer leaves, so a client that has the answer sees the entry."""
        if not self.logged:
            self.logged = True
            self.sandbox.log.add(RequestLogEntry(self.method, self.url.path, self.url.query, status,
                                                 (time.monotonic() - self.started) * 1000, self.wall,
                                                 self.fault, self.throttled))

    def route(self, method: str, path: str, query: dict[str, list[str]], raw: bytes) -> int:
        sb = self.sandbox
        if path == "/api/oauth/v1/token" and method == "POST":
            client_id, secret = basic_auth(self.headers.get("Authorization"))
            return self.send_json(200, sb.auth.grant(client_id, secret, parse_body(raw, self.headers)))
        if path == "/connect/apps/v1/authorize" and method == "GET":
            return self.authorize(query)
        if path == "/connect/apps/v1/oauth2/token" and method == "POST":
            try:
                return self.send_json(200, sb.auth.app_token(parse_body(raw, self.headers)))
            except OAuthError as exc:
                return self.send_json(400, exc.body)
        if path.startswith("/_sandbox/"):
            return self.send_json(200, admin.handle(sb, method, path, parse_body(raw, self.headers)))
        if path.rstrip("/") == API and method == "GET":
            status = sb.config.route_list_status  # a proxy in front may refuse or hide the route list
            if status == 404:
                raise ApiError(404, f"No route found for 'GET {API}'")
            if status == 403:
                raise ApiError(403, "Access forbidden.")
            return self.send_json(200, route_list(sb.public_url, sb.config.akeneo_version, sb.config.edition))
        if path == f"{API}/system-information" and method == "GET" and sb.config.akeneo_version >= 6:
            return self.send_json(200, system_information(sb.config.akeneo_version, sb.config.edition))
        if not path.startswith(API + "/"):
            raise ApiError(404, f"No route found for '{method} {path}'")
        token, info = sb.auth.check(self.headers.get("Authorization"))
        rest = path[len(API) + 1:].rstrip("/")
        # App catalogs have their own methods, ACLs and statuses (app_catalog_routes.py).
        catalog_call = (app_catalog_routes.resolve(method, rest, sb.public_url, self.headers, info.scopes)
                        if app_catalog_routes.serves(rest, sb.config.akeneo_version) else None)
        if catalog_call is None and method != "GET":
            raise ApiError(405, f"No route found for '{method} {path}': the sandbox is read-only (Allow: GET)")
        needed = required_scope(rest, sb.config)
        if catalog_call is None and not has_scope(info.scopes, needed):
            raise ApiError(403, f"Access forbidden. The access token lacks the {needed} scope.")
        with sb.limiter.slot(token):
            cfg = sb.config
            if cfg.latency_ms or cfg.latency_jitter_ms:
                time.sleep((cfg.latency_ms + random.uniform(0, cfg.latency_jitter_ms)) / 1000)
            self.fault = sb.faults.next_fault()
            if self.fault in SERVER_ERRORS:
                code = int(self.fault)
                return self.send_error_body(code, {"code": code, "message": SERVER_ERRORS[self.fault]})
            if self.fault == "drop":
                self.close_connection = True
                self.record(0)
                self.connection.shutdown(socket.SHUT_RDWR)
                return 0
            if catalog_call is not None:
                status, answer = app_catalog_routes.answer(sb, catalog_call, query, raw)
            else:
                status, answer = 200, dispatch(sb.catalog, sb.public_url, rest, query, cfg)
            if status == 200:
                sb.apply_scheduled(path)  # an edit between two pages of a read (schedule.py)
            if status == 204:
                return self.send_raw(204, b"", {}, "application/json")
            return self.send_json(status, reshape(answer, cfg))

    def authorize(self, query: dict[str, list[str]]) -> int:
        def one(name: str) -> str:
            return (query.get(name) or [""])[-1]

        sb = self.sandbox
        target = one("redirect_uri") or sb.config.app_callback_url
        params: dict[str, str]
        if one("response_type") != "code":
            params = {"error": "unsupported_response_type", "error_description": "response_type must be code"}
        elif sb.config.app_deny:
            params = {"error": "access_denied", "error_description": "The user denied the authorization request"}
        else:
            try:
                params = {"code": sb.auth.authorize(one("client_id"), one("scope"))}
            except OAuthError as exc:
                params = exc.body
        if one("state"):
            params["state"] = one("state")
        location = f"{target}{'&' if '?' in target else '?'}{urlencode(params)}"
        return self.send_raw(302, b"", {"Location": location}, "text/plain")

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> int:
        data = encode_json(body)
        if self.fault == "malformed" and status == 200:
            data = malformed(data)
        if self.fault == "truncate" and status == 200:
            self.close_connection = True
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            return 200
        return self.send_raw(status, data, headers or {}, "application/json")

    def send_error_body(self, status: int, body: dict[str, Any]) -> int:
        """An error answer: Akeneo's JSON, or under /api/rest/v1 what `error_body` says a proxy sends."""
        style = self.sandbox.config.error_body
        if style == "akeneo" or not self.url.path.startswith(API):
            return self.send_json(status, body)
        data, content_type = error_answer(status, body, style, self.requestline, list(self.headers.items()))
        return self.send_raw(status, data, {}, content_type)

    def send_raw(self, status: int, data: bytes, headers: dict[str, str], content_type: str) -> int:
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        return status

