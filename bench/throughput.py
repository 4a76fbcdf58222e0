"""Throughput against Akeneo's limit: the pipeline's windowed reader vs one sequential cursor.

Both read the same sandbox process, configured with 50 ms of latency per request and
Akeneo's 4-concurrent-calls limit, one after the other in the same run, so the ratio
holds on a shared, noisy machine even when the absolute figures do not. A run that
raises is reported as failed, never dropped from the table.
"""

from __future__ import annotations

import time

from akeneo_pipeline.akeneo import AkeneoClient
from bench.baseline import read_sequentially
from bench.results import Row, per_second
from bench.sandbox_process import SandboxProcess

TARGET_RATIO = 3.5


def throttled(sandbox: SandboxProcess) -> int:
    return sum(1 for entry in sandbox.api_requests() if entry["status"] == 429)


def run(sandbox: SandboxProcess, latency_ms: float = 50.0) -> list[Row]:
    sandbox.configure(latency_ms=latency_ms, concurrency_limit=4)
    settings = sandbox.settings(max_concurrency=4)
    rows: list[Row] = []
    section = f"throughput ({sandbox.products:,} products, {latency_ms:g} ms, 4 calls)"

    sandbox.clear_log()
    started = time.monotonic()
    baseline = read_sequentially(settings)
    baseline_seconds = time.monotonic() - started
    baseline_429 = throttled(sandbox)

    sandbox.clear_log()
    failure = None
    items = 0
    client_cpu, sandbox_cpu = time.process_time(), sandbox.cpu_seconds()
    started = time.monotonic()
    try:
        with AkeneoClient(settings) as client:
            items = sum(len(page) for page in client.iter_entities("products"))
    except Exception as exc:  # reported in the table: a failed run fails the target
        failure = f"{type(exc).__name__}: {exc}"
    pipeline_seconds = time.monotonic() - started
    client_cpu, sandbox_cpu = time.process_time() - client_cpu, sandbox.cpu_seconds() - sandbox_cpu
    requests = sandbox.api_requests()
    pipeline_429 = sum(1 for entry in requests if entry["status"] == 429)

    ratio = (items / pipeline_seconds) / (baseline.items / baseline_seconds) if baseline.items and items else 0.0
    complete = failure is None and items == baseline.items
    rows += [
        Row(section, "baseline: sequential search_after, limit 100", per_second(baseline.items, baseline_seconds)
            + f" ({baseline.requests} requests, {baseline_429} x 429)"),
        Row(section, "pipeline: AkeneoClient.iter_entities('products')", per_second(items, pipeline_seconds)
            + f" ({len(requests)} requests, {pipeline_429} x 429)"),
        Row(section, "pipeline: CPU of client / of sandbox, wall time",
            f"{client_cpu:.1f} s / {sandbox_cpu:.1f} s, {pipeline_seconds:.1f} s"),
        Row(section, "ratio pipeline / baseline", f"{ratio:.2f}x", f">= {TARGET_RATIO}x", ratio >= TARGET_RATIO),
        Row(section, "complete run, no failure", failure or f"{items:,} of {baseline.items:,} products",
            "no failed run", complete),
    ]
    sandbox.configure(latency_ms=0.0)
    return rows
