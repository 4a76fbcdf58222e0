"""Throttling, injected faults and the request log."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable

import httpx
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI


def concurrent_statuses(api: SandboxAPI, n: int) -> list[httpx.Response]:
    barrier, results = threading.Barrier(n), []
    lock = threading.Lock()

    def call() -> None:
        with httpx.Client(base_url=api.server.base_url, timeout=10) as client:
            barrier.wait()
            response = client.get("/api/rest/v1/channels", headers={"Authorization": f"Bearer {api.token}"})
            with lock:
                results.append(response)

    threads = [threading.Thread(target=call) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("retry_after", [True, False])
def test_fifth_concurrent_call_gets_429(sandbox_factory: Callable[..., SandboxServer], retry_after: bool) -> None:
    api = SandboxAPI(sandbox_factory(products=10, latency_ms=400, retry_after=retry_after))
    responses = concurrent_statuses(api, 5)
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 429]
    [throttled] = [r for r in responses if r.status_code == 429]
    assert (throttled.headers.get("Retry-After") == "1") is retry_after
    assert [e.throttled for e in api.server.request_log if e.status == 429] == ["concurrent calls"]
    assert api.server.stats()["max_in_flight_seen"] == 4


def test_concurrency_is_counted_per_token(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10, latency_ms=300, concurrency_limit=2)
    a, b = SandboxAPI(server), SandboxAPI(server)
    results: list[int] = []
    threads = [threading.Thread(target=lambda api=api: results.append(api.get("/api/rest/v1/locales").status_code))
               for api in (a, a, b, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200, 200, 200, 200]


def test_requests_per_second_limit(sandbox_factory: Callable[..., SandboxServer]) -> None:
    api = SandboxAPI(sandbox_factory(products=10, rps_limit=3))
    statuses = [api.get("/api/rest/v1/locales").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]


@pytest.mark.parametrize("kind", ["500", "502", "503"])
def test_server_error_on_nth_request(sandbox_factory: Callable[..., SandboxServer], kind: str) -> None:
    api = SandboxAPI(sandbox_factory(products=10, fault_on_nth=2, fault_kinds=(kind,)))
    statuses = [api.get("/api/rest/v1/locales").status_code for _ in range(3)]
    assert statuses == [200, int(kind), 200]
    assert [e.fault for e in api.server.request_log if e.path == "/api/rest/v1/locales"] == [None, kind, None]


def raw_get(server: SandboxServer, token: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request("GET", "/api/rest/v1/families", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_drop_truncate_and_malformed(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10, fault_on_nth=1, fault_kinds=("drop",))
    token = SandboxAPI(server).token
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        raw_get(server, token)
    server.configure(fault_on_nth=1, fault_kinds=("truncate",))
    with pytest.raises(http.client.IncompleteRead):
        raw_get(server, token)
    server.configure(fault_on_nth=1, fault_kinds=("malformed",))
    status, headers, body = raw_get(server, token)
    assert status == 200 and int(headers["Content-Length"]) == len(body)
    with pytest.raises(ValueError):
        json.loads(body)
    assert raw_get(server, token)[0] == 200
    assert [e.fault for e in server.request_log if e.fault] == ["drop", "truncate", "malformed"]
    assert [e.status for e in server.request_log if e.fault == "drop"] == [0]


def test_fault_rate_is_reproducible_and_spares_token_and_admin(sandbox_factory: Callable[..., SandboxServer]) -> None:
    def run() -> list[int]:
        server = sandbox_factory(products=10, fault_rate=0.3, fault_kinds=("500", "503"), fault_seed=42)
        api = SandboxAPI(server)  # the token endpoint never fails
        statuses = [api.get("/api/rest/v1/locales").status_code for _ in range(30)]
        assert httpx.get(f"{server.base_url}/_sandbox/stats").status_code == 200
        return statuses

    first, second = run(), run()
    assert first == second
    assert 0 < sum(s != 200 for s in first) < 30 and set(first) <= {200, 500, 503}


def test_latency_and_request_log_fields(sandbox_factory: Callable[..., SandboxServer]) -> None:
    api = SandboxAPI(sandbox_factory(products=10, latency_ms=50))
    api.server.clear_log()
    api.get("/api/rest/v1/products-uuid", limit=3)
    [entry] = api.server.request_log
    assert (entry.method, entry.path, entry.query, entry.status) == ("GET", "/api/rest/v1/products-uuid", "limit=3",
                                                                     200)
    assert entry.latency_ms >= 50
    logged = httpx.get(f"{api.server.base_url}/_sandbox/log").json()["entries"]
    assert logged[0]["path"] == "/api/rest/v1/products-uuid"
    assert api.token not in json.dumps(logged)


def test_stopping_the_sandbox_cuts_keep_alive_connections(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10)
    api = SandboxAPI(server)
    assert api.get("/api/rest/v1/locales").status_code == 200  # the connection is now kept alive
    server.stop()
    with pytest.raises(httpx.TransportError):
        api.get("/api/rest/v1/locales")
    api.close()


def test_instance_concurrency_limit_counts_all_tokens(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=10, latency_ms=300, instance_concurrency_limit=3)
    apis = [SandboxAPI(server) for _ in range(4)]
    barrier, results = threading.Barrier(4), []

    def call(api: SandboxAPI) -> None:
        barrier.wait()
        results.append(api.get("/api/rest/v1/locales").status_code)

    threads = [threading.Thread(target=call, args=(api,)) for api in apis]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 200, 200, 429]
