"""bench/latency_proxy.py in front of a real sandbox: it adds its latency, refuses a 5th
concurrent call with Akeneo's 429, forwards bodies byte for byte, and keeps a client
following `_links.next` behind it (the sandbox names the proxy in its links)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from bench.baseline import password_token
from bench.proxy_process import ProxyProcess

PRODUCTS = "/api/rest/v1/products-uuid"


@pytest.fixture
def sandbox_behind(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(products=300, seed=1, concurrency_limit=None)


@contextmanager
def proxied(sandbox: SandboxServer, latency_ms: float) -> Iterator[ProxyProcess]:
    with ProxyProcess([sandbox.base_url], latency_ms=latency_ms, concurrency_limit=4) as proxy:
        sandbox.configure(public_url=proxy.base_url)
        yield proxy


def token_for(sandbox: SandboxServer, base_url: str) -> dict[str, str]:
    settings = settings_for(sandbox, base_url=base_url)
    with httpx.Client(base_url=base_url) as http:
        return {"Authorization": f"Bearer {password_token(settings, http)}"}


def test_every_request_waits_the_latency(sandbox_behind: SandboxServer) -> None:
    with proxied(sandbox_behind, latency_ms=300) as proxy:
        headers = token_for(sandbox_behind, proxy.base_url)  # the token POST's JSON body went through
        with httpx.Client() as http:
            started = time.monotonic()
            direct = http.get(sandbox_behind.base_url + PRODUCTS, headers=headers)
            direct_seconds = time.monotonic() - started
            started = time.monotonic()
            through = http.get(proxy.base_url + PRODUCTS, headers=headers)
            through_seconds = time.monotonic() - started
        assert direct.status_code == through.status_code == 200
        assert through_seconds >= 0.3 > direct_seconds
        assert through_seconds - direct_seconds > 0.2


def test_a_fifth_concurrent_call_is_answered_429_without_retry_after(sandbox_behind: SandboxServer) -> None:
    with proxied(sandbox_behind, latency_ms=1500) as proxy:
        headers = token_for(sandbox_behind, proxy.base_url)
        proxy.reset()

        def call(_: int) -> httpx.Response:
            with httpx.Client(timeout=30) as http:  # one connection each: the limit is per token, not per socket
                return http.get(proxy.base_url + PRODUCTS, headers=headers)

        with ThreadPoolExecutor(5) as pool:
            answers = list(pool.map(call, range(5)))
        refused = [a for a in answers if a.status_code == 429]
        assert sorted(a.status_code for a in answers) == [200, 200, 200, 200, 429]
        assert refused[0].json() == {"code": 429, "message": "Too many requests"}
        assert "retry-after" not in refused[0].headers
        stats = proxy.stats()
        assert stats["requests"] == 5 and stats["throttled"] == 1 and stats["max_in_flight"] == 4
        # the sandbox saw only the four calls the proxy let through
        assert len([e for e in sandbox_behind.request_log if e.path.startswith(PRODUCTS)]) == 4


def test_answers_are_forwarded_byte_for_byte_and_paging_stays_behind_the_proxy(
        sandbox_behind: SandboxServer) -> None:
    with proxied(sandbox_behind, latency_ms=5) as proxy:
        headers = token_for(sandbox_behind, proxy.base_url)
        with httpx.Client() as http:
            params: dict[str, str | int] = {"pagination_type": "search_after", "limit": 100}
            direct = http.get(sandbox_behind.base_url + PRODUCTS, params=params, headers=headers)
            through = http.get(proxy.base_url + PRODUCTS, params=params, headers=headers)
        assert direct.status_code == through.status_code == 200
        assert through.content == direct.content and len(through.content) > 10_000
        assert through.headers["content-length"] == direct.headers["content-length"]
        assert through.json()["_links"]["next"]["href"].startswith(proxy.base_url + PRODUCTS)

        proxy.reset()
        sandbox_behind.clear_log()
        with AkeneoClient(settings_for(sandbox_behind, base_url=proxy.base_url, max_concurrency=4)) as client:
            items = sum(len(page) for page in client.iter_entities("products"))
        assert items == 300
        stats = proxy.stats()
        # every call the sandbox answered came through the proxy, none straight from a `_links` href
        assert stats["requests"] == len(sandbox_behind.request_log) > 3
