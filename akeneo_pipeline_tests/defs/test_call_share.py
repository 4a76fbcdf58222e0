"""A run and the change sensor ticking beside it stay within the connection's 4 concurrent calls:
the run's client keeps AKENEO_MAX_CONCURRENCY less the sensor's share (3), the sensor's 1. The
sandbox plays Akeneo's limit on the whole PIM here (all tokens together), so a fifth call in flight
would be answered 429 (with the run's client at all 4 calls, this test sees such 429s)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from akeneo_pipeline.sandbox import SandboxConfig
from akeneo_pipeline_tests.fixtures.env import deployment
from akeneo_pipeline_tests.fixtures.sensor import Ticker


@pytest.mark.slow
def test_a_run_and_sensor_ticks_together_never_exceed_four_calls(tmp_path: Path) -> None:
    config = SandboxConfig(products=2000, seed=9, latency_ms=30, concurrency_limit=4, instance_concurrency_limit=4)
    with deployment(config, tmp_path) as pipeline:
        ticker = Ticker(pipeline.defs, pipeline.server)
        ticker.tick()  # the baseline, before the run
        done = threading.Event()
        ticks = 0

        def keep_ticking() -> None:
            nonlocal ticks
            while not done.is_set():
                ticker.tick()
                ticks += 1

        sensor = threading.Thread(target=keep_ticking, daemon=True)
        sensor.start()
        try:
            result = pipeline.run("deletion_scan")  # reads and key-scans every product and product model
        finally:
            done.set()
            sensor.join(timeout=60)
        assert result.success
        assert ticks >= 1, "the sensor never ticked during the run"
        throttled = [entry for entry in pipeline.server.request_log if entry.throttled]
        assert throttled == [], f"{len(throttled)} calls over Akeneo's limit: {throttled[:3]}"
