"""A tolerant reader: what the docs call optional a server may leave out, and a proxy may
reshape. Each case is served by the sandbox (sandbox/reshape.py) and read by the real client,
products going on through the Store into DuckDB; nothing fails and nothing is lost."""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from akeneo_pipeline.akeneo import AkeneoClient, AkeneoHTTPError
from akeneo_pipeline.akeneo.entities import Route
from akeneo_pipeline.akeneo.windows import Span, Window, split
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import Stream
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI, settings_for

Factory = Callable[..., SandboxServer]
PRODUCTS_PATH = "/api/rest/v1/products-uuid"


def store_at(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")


def load_products_and_models(client: AkeneoClient, store: Store, run_id: str = "run-1") -> None:
    """The pipeline's path for the incremental streams: client pages -> Store -> DuckDB."""
    store.load_entities("products", client.iter_entities("products"), run_id=run_id, next_cursor="c1",
                           identifier_attribute="sku")
    store.load_entities("product_models", client.iter_entities("product_models"), run_id=run_id, next_cursor="c1")


def assert_tables_hold_the_catalog(store: Store, server: SandboxServer) -> None:
    products = store.read_table("products").to_pylist()
    truth = {p["uuid"]: p for p in server.catalog.iter_products()}
    assert Counter(r["uuid"] for r in products) == Counter(list(truth))
    assert all(r["family"] == truth[r["uuid"]]["family"] and r["parent"] == truth[r["uuid"]]["parent"]
               for r in products)
    models = {r["code"] for r in store.read_table("product_models").to_pylist()}
    assert models == {m["code"] for m in server.catalog.iter_product_models()}
    values = sum(len(vs) for p in truth.values() for vs in p["values"].values())
    assert store.table_rows("product_values") == values


# -- items_count left out ---------------------------------------------------------------

def test_pages_without_items_count_are_read_as_one_window_with_one_warning(
    sandbox_factory: Factory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # 1,500 products in pages of 10 would be split into concurrent windows if they were counted.
    server = sandbox_factory(products=1500, omit_items_count=True)
    caplog.set_level(logging.WARNING, logger="akeneo_pipeline.akeneo")
    store = store_at(tmp_path)
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        load_products_and_models(client, store)
        assert_tables_hold_the_catalog(store, server)
        server.catalog.update_products(30)
        since = datetime.now(UTC) - timedelta(seconds=5)
        newer = [page for page in client.iter_entities("products", updated_after=since)]
    counts = [e for e in server.request_log if "with_count=true" in e.query]
    assert len(counts) == 3  # one per read: products, product models, the incremental products
    assert not any("search=" in e.query for e in server.request_log if e.path == PRODUCTS_PATH
                   and "with_count" not in e.query and "search_after" not in e.query)
    warnings = [r for r in caplog.records if "items_count" in r.getMessage()]
    assert len(warnings) == 1 and PRODUCTS_PATH in warnings[0].getMessage()
    assert sum(len(p) for p in newer) >= 30


def test_a_split_probe_without_items_count_keeps_its_window_whole(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=1500, omit_items_count=True)
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        route = Route("products", "/api/rest/v1/products-uuid", "uuid")
        probe = partial(client._entities._probe, route, field="updated")
        span = Span.of(Window(), 1500, int(client.server_time().timestamp()))
        [kept] = split(span, probe, 4, target=100)
        assert kept.window == Window() and kept.items == 1500  # whole: only its search narrowed
        assert span.lo < kept.lo < kept.hi == span.hi


# -- /measurement-families served as a page ----------------------------------------------

def test_measurement_families_served_as_pages_are_read_to_the_end(sandbox_factory: Factory, tmp_path: Path) -> None:
    server = sandbox_factory(products=20, measurement_families_paged=True)
    family = server.catalog.structure["measurement_families"][0]
    for n in range(23):  # more than one page at Akeneo's default limit of 10
        server.catalog.structure["measurement_families"].append({**copy.deepcopy(family), "code": f"Extra{n:02d}"})
    truth = {f["code"] for f in server.catalog.items("measurement_families")}
    store = store_at(tmp_path)
    with AkeneoClient(settings_for(server)) as client:
        result = store.load_catalog("measurement_families", client.iter_stream("measurement_families"), run_id="r1")
        assert client.counters.get("measurement_families").requests == 3
    assert result.rows == len(truth) == 25
    assert {r["code"] for r in store.read_table("measurement_families").to_pylist()} == truth


# -- relative _links.next ------------------------------------------------------------------

def test_relative_next_links_are_followed_on_the_base_url(sandbox_factory: Factory, tmp_path: Path) -> None:
    server = sandbox_factory(products=240, relative_links=True)
    store = store_at(tmp_path)
    with AkeneoClient(settings_for(server, page_size=25, max_concurrency=1)) as client:
        load_products_and_models(client, store)
        categories = store.load_catalog("categories", client.iter_stream("categories"), run_id="r1")
        options = [o for page in client.iter_stream("attribute_options") for o in page]
    assert_tables_hold_the_catalog(store, server)
    assert categories.rows == len(server.catalog.items("categories"))
    assert len(options) == len(server.catalog.items("attribute_options"))
    pages = [e for e in server.request_log if e.path == PRODUCTS_PATH and "search_after=" in e.query]
    assert len(pages) >= 9  # the relative hrefs were followed, page after page
    api = SandboxAPI(server)
    try:
        next_href = api.get(PRODUCTS_PATH, limit=5).json()["_links"]["next"]["href"]
        assert next_href.startswith("/api/rest/v1/products-uuid?")
    finally:
        api.close()


def test_a_relative_href_resolves_against_its_page_and_keeps_to_the_base_url(sandbox: SandboxServer) -> None:
    from akeneo_pipeline.akeneo.paging import same_origin

    with AkeneoClient(settings_for(sandbox)) as client:
        transport = client._transport
        page = f"{sandbox.base_url}/api/rest/v1/products-uuid?limit=10"
        assert str(same_origin(transport, "/api/rest/v1/products-uuid?page=2", page)) == \
            f"{sandbox.base_url}/api/rest/v1/products-uuid?page=2"
        assert str(same_origin(transport, "?page=3&limit=10", page)) == \
            f"{sandbox.base_url}/api/rest/v1/products-uuid?page=3&limit=10"
        assert str(same_origin(transport, "https://proxy.internal:8443/api/rest/v1/x?page=2", page)) == \
            f"{sandbox.base_url}/api/rest/v1/x?page=2"


# -- null fields left out --------------------------------------------------------------------

def test_items_without_their_null_fields_load_exactly_as_with_them(sandbox_factory: Factory, tmp_path: Path) -> None:
    tables = {}
    for omit in (False, True):
        server = sandbox_factory(products=160, seed=3, anchor=1_767_225_600, omit_null_fields=omit)
        store = store_at(tmp_path / str(omit))
        with AkeneoClient(settings_for(server)) as client:
            load_products_and_models(client, store)
            for stream in ("categories", "families", "attributes"):
                store.load_catalog(stream, client.iter_stream(stream), run_id="run-1")
            served = [p for page in client.iter_entities("products") for p in page]
        assert_tables_hold_the_catalog(store, server)
        assert any(None in p.values() for p in served) is not omit
        tables[omit] = {t: [{k: v for k, v in r.items() if k not in ("raw", "extracted_at")}
                            for r in store.read_table(t).to_pylist()]
                        for t in ("products", "product_models", "categories", "families", "attributes")}
    assert tables[True] == tables[False]
    assert any(r["parent"] is None for r in tables[True]["categories"])
    assert any(r["family"] is None for r in tables[True]["products"])
    assert any(r["parent"] is None for r in tables[True]["products"])


# -- error bodies that are not {"code", "message"} -------------------------------------------

@pytest.mark.parametrize("style,expected", [
    ("akeneo", 'Akeneo says: Attribute "no_such_attribute" does not exist.'),
    ("html", "body: 404 Not Found 404 Not Found nginx"),
    ("error", 'Akeneo says: Attribute "no_such_attribute" does not exist.'),
    ("text", 'body: 404 Not Found: Attribute "no_such_attribute" does not exist.'),
    ("empty", "body: (empty body)"),
    ("echo", "body: 404 Not Found GET /api/rest/v1/attributes/no_such_attribute/options"),
])
def test_an_error_names_endpoint_status_and_the_bodys_text(sandbox_factory: Factory, style: str,
                                                           expected: str) -> None:
    server = sandbox_factory(products=10, error_body=style)
    with AkeneoClient(settings_for(server)) as client:
        # A list that answers 404 (a parent gone from Akeneo reads as no children: see akeneo/catalog.py).
        missing = Stream("attribute_options", "/api/rest/v1/attributes/no_such_attribute/options", ("code",), ())
        with pytest.raises(AkeneoHTTPError) as info:
            list(client.iter_stream(missing))
    error, text = info.value, str(info.value)
    assert error.status == 404 and error.endpoint == "GET /api/rest/v1/attributes/no_such_attribute/options"
    assert "endpoint: GET /api/rest/v1/attributes/no_such_attribute/options" in text and "status: 404" in text
    assert expected in text
    secrets = [*server.auth.access, *server.auth.refresh, server.credentials["password"],
               server.credentials["client_secret"]]
    assert not [s for s in secrets if s in text]
    if style == "echo":  # a debug proxy echoed the request, Authorization header included
        assert "Authorization: Bearer ***" in text


def test_a_server_error_with_a_proxys_html_page_names_its_text_after_the_retries(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=10, fault_rate=1.0, fault_kinds=("502",), error_body="html")
    with (
        AkeneoClient(settings_for(server, max_attempts=2, backoff_base=0.01)) as client,
        pytest.raises(AkeneoHTTPError) as info,
    ):
        list(client.iter_stream("locales"))
    assert info.value.status == 502 and info.value.attempts == 2
    assert "GET /api/rest/v1/locales" in str(info.value) and "body: 502 Bad Gateway" in str(info.value)
