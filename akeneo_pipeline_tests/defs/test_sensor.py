"""The `akeneo_changes` sensor against the sandbox: a baseline first, then one run
request per change (products, product models, attribute options) and none when
nothing changed. Ticks follow each other within a second, as the sensor's daemon
may tick right after a merchandiser saves: a change in the same second as a check
must still be seen, once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.sensor import Ticker
from akeneo_pipeline_tests.fixtures.zones import ANCHOR, ZONES


@pytest.fixture
def ticker(sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ticker:
    from akeneo_pipeline.definitions import defs

    server: SandboxServer = sandbox_factory(products=60, seed=5)
    point_env_at(monkeypatch, server, tmp_path)
    ticker = Ticker(defs, server)
    return ticker


def test_first_tick_records_a_baseline_and_requests_nothing(ticker: Ticker) -> None:
    assert ticker.tick() == []
    assert ticker.cursor is not None and "options_fingerprint" in ticker.cursor
    assert ticker.tick() == []  # nothing changed since


def test_a_product_edit_requests_one_products_refresh(ticker: Ticker) -> None:
    ticker.tick()
    ticker.server.catalog.update_products(3)
    assert ticker.tick(after_a_change=True) == ["products_refresh"]
    assert ticker.tick() == []  # same second
    assert ticker.tick(after_a_change=True) == []  # a later second: the edit was judged once


def test_a_product_model_edit_requests_one_products_refresh(ticker: Ticker) -> None:
    ticker.tick()
    ticker.server.catalog.update_product_models(1)
    assert ticker.tick(after_a_change=True) == ["products_refresh"]
    assert ticker.tick() == []


def test_an_option_change_requests_one_picklists_refresh(ticker: Ticker) -> None:
    catalog = ticker.server.catalog
    ticker.tick()
    option = catalog.items("attribute_options")[0]
    catalog.relabel_option(option["attribute"], option["code"], "en_US", "Relabelled by a test")
    assert ticker.tick(after_a_change=True) == ["picklists_refresh"]
    assert ticker.tick() == []
    catalog.remove_option(option["attribute"], option["code"])
    assert ticker.tick(after_a_change=True) == ["picklists_refresh"]
    assert ticker.tick() == []


def test_both_kinds_of_change_request_both_refreshes_once(ticker: Ticker) -> None:
    catalog = ticker.server.catalog
    ticker.tick()
    catalog.create_products(2)
    option = catalog.items("attribute_options")[0]
    catalog.add_option(option["attribute"], "sensor_test_new", {"en_US": "New"})
    assert ticker.tick(after_a_change=True) == ["picklists_refresh", "products_refresh"]
    assert ticker.tick() == []


def test_run_keys_never_repeat_so_dagster_never_drops_a_request(ticker: Ticker) -> None:
    """Dagster skips a request whose run key it has seen; options changed back and
    forth must still give one run per change."""
    catalog = ticker.server.catalog
    option = catalog.items("attribute_options")[0]
    ticker.tick()
    for label in ("A", "B", "A", "B"):
        catalog.relabel_option(option["attribute"], option["code"], "en_US", label)
        catalog.update_products(1)
        assert ticker.tick(after_a_change=True) == ["picklists_refresh", "products_refresh"]
    assert len(ticker.run_keys) == 8 and len(set(ticker.run_keys)) == 8


def test_the_sensor_reads_cheaply(ticker: Ticker) -> None:
    """One-item searches for the product streams, never a product page."""
    ticker.tick()
    before = len(ticker.server.request_log)
    ticker.server.catalog.update_products(5)
    assert ticker.tick(after_a_change=True) == ["products_refresh"]
    searches = [entry for entry in list(ticker.server.request_log)[before:] if "/products" in entry.path
                or "/product-models" in entry.path]
    assert searches and all("limit=1" in entry.query for entry in searches)


# ---- on-premise servers in their own time zone ------------------------------------------------
def zoned_ticker(sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 zone: str, setting: str | None = None, **config: Any) -> Ticker:
    from akeneo_pipeline.definitions import defs

    server: SandboxServer = sandbox_factory(products=60, seed=5, timezone=zone, **config)
    point_env_at(monkeypatch, server, tmp_path)
    monkeypatch.setenv("AKENEO_TIMEZONE", setting or zone)
    ticker = Ticker(defs, server)
    return ticker


@pytest.mark.parametrize("label", sorted(ZONES))
def test_a_server_in_its_own_zone_is_watched_in_it(sandbox_factory: Callable[..., SandboxServer], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, label: str) -> None:
    """At UTC-5 a check written in UTC would ask about the future, at UTC+2 it would end two
    hours ago: either way the edit would go unseen."""
    ticker = zoned_ticker(sandbox_factory, tmp_path, monkeypatch, ZONES[label].name)
    assert ticker.tick() == []
    ticker.server.catalog.update_products(3)
    assert ticker.tick(after_a_change=True) == ["products_refresh"]
    assert ticker.tick() == []
    assert ticker.tick(after_a_change=True) == []


@pytest.mark.parametrize("label", sorted(ZONES))
def test_a_check_resumed_inside_the_repeated_hour_sees_an_edit_later_in_it(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label: str
) -> None:
    """The sensor last judged up to a second in the first occurrence of a fall-back's repeated
    hour; a product was saved ten minutes later. The server reads a repeated local time as its
    second occurrence here (fold=1), an hour later: a bound sent as that local time would skip
    the edit."""
    zone = ZONES[label]
    ticker = zoned_ticker(sandbox_factory, tmp_path, monkeypatch, zone.name, anchor=ANCHOR, fold=1)
    ticker.tick()  # baseline: the options fingerprint
    cursor = json.loads(ticker.cursor or "{}")
    cursor["checked_at"] = datetime.fromtimestamp(zone.fall_back - 1_800, UTC).isoformat()
    ticker.cursor = json.dumps(cursor)
    uuid = next(ticker.server.catalog.iter_products())["uuid"]
    ticker.server.catalog.update_products(uuids=[uuid], at=zone.fall_back - 600)
    assert ticker.tick() == ["products_refresh"]


def test_a_wrong_akeneo_timezone_stops_the_tick_and_keeps_the_cursor(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline needs no product read (its cursor is Akeneo's clock); the first check does."""
    ticker = zoned_ticker(sandbox_factory, tmp_path, monkeypatch, ZONES["UTC+2"].name, setting="UTC")
    ticker.tick()
    baseline = ticker.cursor
    ticker.server.catalog.update_products(1)
    with pytest.raises(Exception, match=r"AKENEO_TIMEZONE=UTC") as raised:
        ticker.tick(after_a_change=True)
    assert re.search(r"offset \+0[23]:00", str(raised.value))  # Helsinki's, winter or summer
    assert ticker.cursor == baseline  # nothing recorded: the next tick judges the same seconds again
