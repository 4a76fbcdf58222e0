"""Reads against the sandbox: every item exactly once, sequentially and in concurrent windows."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import CATALOG_STREAMS, ENTITY_STREAMS
from akeneo_pipeline.sync import sync_entities
from akeneo_pipeline_tests.fixtures.edits import variants_early_parents_late
from akeneo_pipeline_tests.fixtures.pipeline import assert_entities_match, cursor_second
from akeneo_pipeline_tests.fixtures.sandbox import sequential_keys, settings_for
from akeneo_pipeline_tests.fixtures.zones import ANCHOR, HOUR, ZONES, edit_across_dst

Factory = Callable[..., SandboxServer]


def keys(pages: Iterable[list[dict[str, Any]]], key: str) -> list[str]:
    return [item[key] for page in pages for item in page]


def assert_once(got: list[str], expected: list[str]) -> None:
    dupes = [k for k, n in Counter(got).items() if n > 1]
    assert not dupes, f"{len(dupes)} keys read twice, e.g. {dupes[:3]}"
    assert set(got) == set(expected)
    assert len(got) == len(expected)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_full_read_returns_every_product_and_model_once(sandbox: SandboxServer, concurrency: int) -> None:
    truth_products = [p["uuid"] for p in sandbox.catalog.iter_products()]
    truth_models = [m["code"] for m in sandbox.catalog.iter_product_models()]
    with AkeneoClient(settings_for(sandbox, max_concurrency=concurrency, page_size=10)) as client:
        assert_once(keys(client.iter_entities("products"), "uuid"), truth_products)
        assert_once(keys(client.iter_entities("product_models"), "code"), truth_models)
        assert client.counters.get("products").items == len(truth_products)
    assert sandbox.stats()["max_in_flight_seen"] <= concurrency


def test_windows_are_read_concurrently_each_with_its_own_cursor(sandbox: SandboxServer) -> None:
    with AkeneoClient(settings_for(sandbox, page_size=10)) as client:
        list(client.iter_entities("products"))
    reads = [e.query for e in sandbox.request_log
             if e.path.endswith("/products-uuid") and "pagination_type=search_after" in e.query]
    first_pages = [q for q in reads if not re.search(r"(^|&)search_after=", q)]
    assert len(first_pages) >= 4, "expected several windows"
    assert len(reads) > len(first_pages)  # and each window followed its own next links
    assert 2 <= sandbox.stats()["max_in_flight_seen"] <= 4


def test_incremental_read_matches_one_sequential_cursor(sandbox: SandboxServer) -> None:
    items = list(sandbox.catalog.iter_products())
    stamps = sorted(datetime.fromisoformat(p["updated"]) for p in items)
    after = stamps[len(stamps) // 3]
    expected = sequential_keys(sandbox, "/api/rest/v1/products-uuid", "uuid", after)
    assert 0 < len(expected) < len(items)
    with AkeneoClient(settings_for(sandbox, page_size=10)) as client:
        assert_once(keys(client.iter_entities("products", updated_after=after), "uuid"), expected)
        models = sequential_keys(sandbox, "/api/rest/v1/product-models", "code", after)
        assert_once(keys(client.iter_entities("product_models", updated_after=after), "code"), models)


def test_clustered_updates_in_one_second_are_read_once(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=400, seed=7)
    before = datetime.now(UTC) - timedelta(days=1)
    server.catalog.update_products(250)  # all stamped with the same second
    server.catalog.create_products(40)
    server.catalog.update_product_models(10)
    expected = sequential_keys(server, "/api/rest/v1/products-uuid", "uuid", before)
    assert len(expected) >= 290
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        assert_once(keys(client.iter_entities("products", updated_after=before), "uuid"), expected)
        assert_once(keys(client.iter_entities("products"), "uuid"), [p["uuid"] for p in server.catalog.iter_products()])


def test_updated_before_bounds_the_read(sandbox: SandboxServer) -> None:
    items = list(sandbox.catalog.iter_products())
    stamps = sorted(datetime.fromisoformat(p["updated"]) for p in items)
    lo, hi = stamps[50], stamps[200]
    models = {m["code"]: m for m in sandbox.catalog.iter_product_models()}

    def indexed(item: dict) -> datetime:  # the one `updated` Akeneo indexes: newest of the line's stamps
        stamp, parent = datetime.fromisoformat(item["updated"]), item["parent"]
        while parent:
            stamp, parent = max(stamp, datetime.fromisoformat(models[parent]["updated"])), models[parent]["parent"]
        return stamp

    with AkeneoClient(settings_for(sandbox, page_size=10)) as client:
        got = keys(client.iter_entities("product_models", updated_after=lo, updated_before=hi), "code")
        got_products = keys(client.iter_entities("products", updated_after=lo, updated_before=hi), "uuid")
    assert_once(got, [code for code, m in models.items() if lo < indexed(m) < hi])
    assert_once(got_products, [p["uuid"] for p in items if lo < indexed(p) < hi])


def test_variants_edited_before_their_parent_models_land_in_a_split_read(
    sandbox_factory: Factory, tmp_path: Path
) -> None:
    """Variants at both levels of variation edited early in the range, their parent models
    (sub and root) late: Akeneo lists each such variant only in the window holding its
    parent's stamp, with its own early stamp. Over 1,000 changes, so the read splits into
    windows; every edit must land, compared with the sandbox's ground truth."""
    server = sandbox_factory(products=2_000, seed=11, anchor=int(time.time()) - 3 * 86_400)
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    settings = settings_for(server)
    with AkeneoClient(settings) as client:
        for stream in ENTITY_STREAMS:
            sync_entities(client, store, stream, "full")
    cursor = cursor_second(store, "products")
    history = variants_early_parents_late(server.catalog, cursor, server.catalog.now())
    assert history.changes > 1_000
    server.clear_log()
    with AkeneoClient(settings) as client:
        for stream in ENTITY_STREAMS:
            sync_entities(client, store, stream, "nightly")
    windows = {e.query for e in server.request_log if e.path.endswith("/products-uuid")
               and "pagination_type=search_after" in e.query and "search_after=" not in e.query}
    assert len(windows) >= 3, f"expected a split read, got {len(windows)} windows"
    assert_entities_match(store, "products", list(server.catalog.iter_products()))
    assert_entities_match(store, "product_models", list(server.catalog.iter_product_models()))
    loaded = {row["uuid"]: row for row in store.read_table("products").to_pylist()}
    for uuid in history.early_variants:  # with its own early stamp, as Akeneo serves it
        assert loaded[uuid]["updated"].timestamp() == cursor + 1


def test_catalog_streams_and_attribute_options(sandbox: SandboxServer) -> None:
    def canon(items: list[dict]) -> list[str]:
        return sorted(json.dumps({k: v for k, v in item.items() if k != "_links"}, sort_keys=True)
                      for item in items)

    with AkeneoClient(settings_for(sandbox, page_size=2)) as client:
        for name in CATALOG_STREAMS:
            got = [item for page in client.iter_stream(name) for item in page]
            assert canon(got) == canon(sandbox.catalog.items(name)), name
        variants = [item for page in client.iter_stream("family_variants") for item in page]
        assert variants and all(item["family"] for item in variants)
        truth_options = sandbox.catalog.items("attribute_options")
        options = [item for page in client.iter_stream("attribute_options") for item in page]
        assert {o["attribute"] for o in options} == {o["attribute"] for o in truth_options}
        assert Counter((o["attribute"], o["code"]) for o in options) == \
            Counter((o["attribute"], o["code"]) for o in truth_options)
        with pytest.raises(ValueError, match="unknown catalog stream"):
            list(client.iter_stream("products"))


def test_categories_are_read_with_their_position(sandbox: SandboxServer) -> None:
    """The sandbox serves `position` only when asked, as Akeneo does: positions prove the client asks."""
    with AkeneoClient(settings_for(sandbox, page_size=5)) as client:
        got = {item["code"]: item.get("position") for page in client.iter_stream("categories") for item in page}
    assert got == {c["code"]: c["position"] for c in sandbox.catalog.items("categories")}
    assert all(isinstance(position, int) for position in got.values())
    reads = [e for e in sandbox.request_log if e.path == "/api/rest/v1/categories"]
    assert len(reads) > 1 and all("with_position=true" in e.query for e in reads)


def test_key_scans_list_every_key_once_with_small_pages(sandbox: SandboxServer) -> None:
    deleted = sandbox.catalog.delete_products(5)
    with AkeneoClient(settings_for(sandbox, page_size=25)) as client:
        uuids = [u for page in client.scan_keys("products") for u in page]
        codes = [c for page in client.scan_keys("product_models") for c in page]
    assert_once(uuids, [p["uuid"] for p in sandbox.catalog.iter_products()])
    assert not set(deleted) & set(uuids)
    assert_once(codes, [m["code"] for m in sandbox.catalog.iter_product_models()])
    scans = [e for e in sandbox.request_log if e.path.endswith("/products-uuid") and "search_after" in e.query]
    assert scans and all("attributes=" in e.query for e in scans)


def test_server_time_watermark_and_has_changes(sandbox: SandboxServer) -> None:
    with AkeneoClient(settings_for(sandbox, updated_overlap_seconds=120)) as client:
        now = client.server_time()
        assert now.tzinfo is not None and abs((now - datetime.now(UTC)).total_seconds()) < 5
        plan = client.plan_watermark(None)
        assert plan.updated_after is None
        assert plan.next_watermark == plan.run_started - timedelta(seconds=120)
        future = now + timedelta(seconds=5)
        assert not client.has_changes("products", future)
        assert client.has_changes("products", now - timedelta(days=400))
        assert not client.has_changes("product_models", future)
        with pytest.raises(ValueError, match="products"):
            client.has_changes("families", now)


def test_counters_add_up_to_the_requests_the_server_saw(sandbox: SandboxServer) -> None:
    sandbox.clear_log()
    with AkeneoClient(settings_for(sandbox, page_size=20)) as client:
        list(client.iter_entities("products"))
        list(client.iter_stream("categories"))
        totals = client.counters.total()
        per = client.counters.as_dict()
    deadline = time.monotonic() + 2  # the server logs a request just after answering it
    while len(sandbox.request_log) < totals.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert totals.requests == len(sandbox.request_log)
    assert per["categories"]["items"] == len(sandbox.catalog.items("categories"))
    assert per["products"]["items"] == 300
    assert totals.bytes > 0 and totals.seconds > 0 and totals.retries == 0 and totals.throttled == 0
    assert set(per["token"]) == {"requests", "retries", "throttled", "bytes", "items", "seconds"}


# ---- an on-premise server in its own time zone ----------------------------------------------
@pytest.mark.parametrize("fold", [0, 1])
@pytest.mark.parametrize("label", sorted(ZONES))
def test_incremental_read_in_the_server_zone_across_dst(sandbox_factory: Factory, tmp_path: Path,
                                                         label: str, fold: int) -> None:
    """A server at UTC-5 / UTC+2 (AKENEO_TIMEZONE set to match) with edits on both sides of a
    fall-back and a spring-forward, in both occurrences of the repeated hour and just after
    the cursor (a filter read five hours off would skip those): over 1,000 edits, so the read
    splits into windows; whichever instant the server takes a repeated local time for, every
    edit lands."""
    zone = ZONES[label]
    server = sandbox_factory(products=1_400, seed=21, anchor=ANCHOR, timezone=zone.name, fold=fold)
    settings = settings_for(server, timezone=zone.name)
    store = Store(tmp_path, f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with AkeneoClient(settings) as client:
        sync_entities(client, store, "products", "full")
    last_run = datetime.fromtimestamp(ANCHOR, UTC).isoformat()
    store.load_entities("products", [], "last-run", next_cursor=last_run)  # as if the last run ended at ANCHOR
    placed = edit_across_dst(server.catalog, zone, ANCHOR, spread=1_100)
    server.clear_log()
    with AkeneoClient(settings) as client:
        result = sync_entities(client, store, "products", "nightly").load
    windows = {e.query for e in server.request_log if e.path.endswith("/products-uuid")
               and "pagination_type=search_after" in e.query and "search_after=" not in e.query}
    assert len(windows) >= 3, f"expected a split read, got {len(windows)} windows"
    assert result.rows >= len(placed)
    assert_entities_match(store, "products", list(server.catalog.iter_products()))


@pytest.mark.parametrize("fold", [0, 1])
@pytest.mark.parametrize("label", sorted(ZONES))
def test_windows_cut_inside_the_repeated_hour_lose_nothing(sandbox_factory: Factory, label: str, fold: int) -> None:
    """Two adjacent windows cut anywhere around a fall-back, the cut inside the repeated hour
    too: each lists every item of its own range (it may re-read the repeated hour), whichever
    of the two instants the server takes the repeated local time for."""
    zone = ZONES[label]
    server = sandbox_factory(products=200, seed=22, anchor=ANCHOR, timezone=zone.name, fold=fold)
    placed = edit_across_dst(server.catalog, zone, ANCHOR)
    lo, hi = zone.fall_back - 3 * HOUR, zone.fall_back + 3 * HOUR
    cuts = sorted({*range(zone.fall_back - HOUR - 600, zone.fall_back + HOUR + 601, 900),
                   zone.fall_back - HOUR, zone.fall_back, zone.fall_back + HOUR - 1})

    def at(second: int) -> datetime:
        return datetime.fromtimestamp(second, UTC)

    def within(a: int, b: int) -> set[str]:  # a <= stamp < b
        return {uuid for uuid, s in placed.items() if a <= s < b}

    with AkeneoClient(settings_for(server, timezone=zone.name, page_size=20)) as client:
        for cut in cuts:
            left = set(keys(client.iter_entities("products", updated_after=at(lo - 1), updated_before=at(cut)), "uuid"))
            right = set(keys(client.iter_entities("products", updated_after=at(cut - 1), updated_before=at(hi)),
                             "uuid"))
            assert within(lo, cut) <= left, (label, fold, at(cut), within(lo, cut) - left)
            assert within(cut, hi) <= right, (label, fold, at(cut), within(cut, hi) - right)
            # re-reads stay within the repeated hour around the cut
            assert left <= within(lo, zone.fall_back + HOUR + 1) and right <= within(zone.fall_back - HOUR - 1, hi)
