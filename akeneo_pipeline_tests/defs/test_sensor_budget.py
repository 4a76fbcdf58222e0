"""The `akeneo_changes` sensor on a large catalog (200 more select attributes, 20,000 options: two
pages each, some 400 requests for one full read of the options) stays inside its request budget on
every tick, says in its SkipReason where it stopped, resumes there, and still sees a change."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from akeneo_pipeline.defs.automation import build_change_sensor
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AutomationSettings
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.sensor import Ticker

BUDGET = 30
EXTRA_SELECTS = 200
# A tick may pass its budget by the pages of its last attribute's options less one; 100 options are
# one full page and the empty one its `next` link points at: two requests.
BOUND = BUDGET + 1


@pytest.fixture
def large(sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ticker:
    from akeneo_pipeline.definitions import defs

    server = sandbox_factory(products=40, seed=3, extra_select_attributes=EXTRA_SELECTS,
                             options_per_extra_attribute=100)
    point_env_at(monkeypatch, server, tmp_path)
    sensor = build_change_sensor(AutomationSettings(sensor_max_requests=BUDGET))
    return Ticker(defs, server, sensor)


def _tick_counted(ticker: Ticker, after_a_change: bool = False) -> tuple[list[str], int]:
    before = len(ticker.server.request_log)
    jobs = ticker.tick(after_a_change=after_a_change)
    return jobs, len(ticker.server.request_log) - before


def _passes(ticker: Ticker) -> int:
    assert ticker.cursor is not None
    return int(json.loads(ticker.cursor)["option_passes"])


@pytest.mark.slow
def test_each_tick_stays_in_budget_resumes_and_sees_a_change(large: Ticker) -> None:
    catalog = large.server.catalog
    assert len(catalog.items("attribute_options")) >= EXTRA_SELECTS * 100

    baseline_ticks = 0
    while True:
        jobs, requests = _tick_counted(large)
        baseline_ticks += 1
        assert jobs == []
        # The budget counts every request of the tick: token, route list, clock, searches, option pages.
        assert requests <= BOUND
        if _passes(large) == 1:
            break
        assert large.skip_message is not None and "Baseline in progress" in large.skip_message
        assert "request budget" in large.skip_message and "the next tick resumes at" in large.skip_message
        assert baseline_ticks < 20
    assert baseline_ticks >= 2 * EXTRA_SELECTS // BOUND  # the whole read did not fit in one tick: the cut was needed

    option = next(o for o in catalog.items("attribute_options") if o["attribute"] == "picklist_0150")
    catalog.relabel_option(option["attribute"], option["code"], "en_US", "Relabelled on a large catalog")
    seen: list[str] = []
    for _ in range(20):
        jobs, requests = _tick_counted(large, after_a_change=True)
        assert requests <= BOUND
        seen += jobs
        if seen:
            break
    assert seen == ["picklists_refresh"]
    while _passes(large) < 3:  # the rest of that pass and a whole next one: the change was judged once
        jobs, requests = _tick_counted(large)
        assert jobs == [] and requests <= BOUND
