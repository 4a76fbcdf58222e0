"""A 1,000,000-product catalog is cheap to start and lazy to serve."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI


@pytest.fixture(scope="module")
def big() -> Iterator[SandboxAPI]:
    from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer

    with SandboxServer(SandboxConfig(products=1_000_000, seed=5, anchor=1_767_225_600)) as server:
        api = SandboxAPI(server)
        yield api
        api.close()


@pytest.mark.slow
def test_first_page_generates_only_that_page(big: SandboxAPI) -> None:
    catalog = big.server.catalog
    assert catalog.generated_products == 0
    body = big.get("/api/rest/v1/products-uuid", pagination_type="search_after", limit=100).json()
    assert len(body["_embedded"]["items"]) == 100 and "next" in body["_links"]
    assert catalog.generated_products == 100
    second = big.get(body["_links"]["next"]["href"]).json()["_embedded"]["items"]
    assert second[0]["uuid"] > body["_embedded"]["items"][-1]["uuid"]
    assert catalog.generated_products == 200


@pytest.mark.slow
def test_updated_window_and_count_on_a_big_catalog(big: SandboxAPI) -> None:
    catalog = big.server.catalog
    before = catalog.generated_products
    window = {"updated": [{"operator": "BETWEEN", "value": ["2025-12-01 00:00:00", "2025-12-02 00:00:00"]}]}
    body = big.get("/api/rest/v1/products-uuid", search=json.dumps(window), with_count="true", limit=100).json()
    items = body["_embedded"]["items"]
    assert 0 < body["items_count"] < 1_000_000
    assert all("2025-12-01T00:00:00" <= i["updated"] <= "2025-12-02T00:00:00" or i["parent"] for i in items)
    assert catalog.generated_products - before == len(items)
    assert big.get("/api/rest/v1/products-uuid", page=101, limit=100).status_code == 422
