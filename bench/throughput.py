"""Throughput against Akeneo's limit: the pipeline's windowed reader vs one sequential cursor.

Both read the same sandbox process through bench/latency_proxy.py, its own process,
which adds 50 ms of latency per request and enforces Akeneo's 4-concurrent-calls limit
independently of the sandbox's own limiter (the sandbox runs with neither, so it is
checked, not trusted, and its CPU goes to serving pages only). The two readers run one
after the other in the same run, so the ratio holds on a shared, noisy machine even
when the absolute figures do not. A run that raises is reported as failed, never
dropped from the table.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx

from akeneo_pipeline.akeneo import AkeneoClient
from bench.baseline import PRODUCTS_PATH, password_token, read_sequentially
from bench.proxy_process import ProxyProcess
from bench.results import Row, per_second
from bench.sandbox_process import SandboxProcess

TARGET_RATIO = 3.5
CONCURRENCY_LIMIT = 4


def run(sandbox: SandboxProcess, latency_ms: float = 50.0) -> list[Row]:
    with ProxyProcess([sandbox.base_url], latency_ms, CONCURRENCY_LIMIT) as proxy:
        # The proxy plays the latency and the limit; `_links` must name it so paging stays behind it.
        # Its byte cache (sandbox/item_bytes.py), warmed by one unmeasured read, keeps the
        # sandbox's CPU off the critical path for both readers alike.
        sandbox.configure(latency_ms=0.0, concurrency_limit=None, item_byte_cache=True, public_url=proxy.base_url)
        warm(sandbox)
        try:
            return measure(sandbox, proxy, latency_ms)
        finally:
            sandbox.configure(concurrency_limit=CONCURRENCY_LIMIT, public_url=None, item_byte_cache=False)


def warm(sandbox: SandboxProcess) -> None:
    """Every product page once, straight from the sandbox: `_links.next` names the proxy,
    so only its path and query are followed."""
    settings = sandbox.settings()
    with httpx.Client(base_url=sandbox.base_url, timeout=120.0) as http:
        headers = {"Authorization": f"Bearer {password_token(settings, http)}"}
        target: str | None = f"{PRODUCTS_PATH}?pagination_type=search_after&limit=100"
        while target:
            response = http.get(target, headers=headers)
            response.raise_for_status()
            following = response.json()["_links"].get("next")
            target = None
            if following:
                href = urlsplit(following["href"])
                target = f"{href.path}?{href.query}"


def measure(sandbox: SandboxProcess, proxy: ProxyProcess, latency_ms: float) -> list[Row]:
    settings = sandbox.settings(base_url=proxy.base_url, max_concurrency=CONCURRENCY_LIMIT)
    rows: list[Row] = []
    section = f"throughput ({sandbox.products:,} products, {latency_ms:g} ms, {CONCURRENCY_LIMIT} calls)"

    proxy.reset()
    started = time.monotonic()
    baseline = read_sequentially(settings)
    baseline_seconds = time.monotonic() - started
    baseline_429 = proxy.stats()["throttled"]

    proxy.reset()
    failure = None
    items = 0
    client_cpu, sandbox_cpu, proxy_cpu = time.process_time(), sandbox.cpu_seconds(), proxy.cpu_seconds()
    started = time.monotonic()
    try:
        with AkeneoClient(settings) as client:
            items = sum(len(page) for page in client.iter_entities("products"))
    except Exception as exc:  # reported in the table: a failed run fails the target
        failure = f"{type(exc).__name__}: {exc}"
    pipeline_seconds = time.monotonic() - started
    client_cpu, sandbox_cpu = time.process_time() - client_cpu, sandbox.cpu_seconds() - sandbox_cpu
    proxy_cpu = proxy.cpu_seconds() - proxy_cpu
    stats = proxy.stats()
    requests, pipeline_429 = stats["requests"], stats["throttled"]
    in_flight = stats["held_seconds"] / pipeline_seconds if pipeline_seconds else 0.0
    answer_ms = 1000 * stats["upstream_seconds"] / requests if requests else 0.0

    ratio = (items / pipeline_seconds) / (baseline.items / baseline_seconds) if baseline.items and items else 0.0
    complete = failure is None and items == baseline.items
    rows += [
        Row(section, "baseline: sequential search_after, limit 100", per_second(baseline.items, baseline_seconds)
            + f" ({baseline.requests} requests, {baseline_429} x 429)"),
        Row(section, "pipeline: AkeneoClient.iter_entities('products')", per_second(items, pipeline_seconds)
            + f" ({requests} requests, {pipeline_429} x 429)"),
        Row(section, "pipeline: CPU of client / sandbox / proxy, wall time",
            f"{client_cpu:.1f} s / {sandbox_cpu:.1f} s / {proxy_cpu:.1f} s, {pipeline_seconds:.1f} s"),
        Row(section, "pipeline at the proxy: mean calls in flight, mean answer time after the latency",
            f"{in_flight:.2f} of {CONCURRENCY_LIMIT}, {answer_ms:.1f} ms"),
        Row(section, "ratio pipeline / baseline", f"{ratio:.2f}x", f">= {TARGET_RATIO}x", ratio >= TARGET_RATIO),
        Row(section, "complete run, no failure", failure or f"{items:,} of {baseline.items:,} products",
            "no failed run", complete),
    ]
    return rows
