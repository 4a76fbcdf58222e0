"""`item_byte_cache` (sandbox/item_bytes.py) changes the sandbox's CPU, never its answers:
pages are byte-identical with it on and off, and an edit shows on the next page."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from bench.baseline import password_token

PRODUCTS = "/api/rest/v1/products-uuid"


def pages(server: SandboxServer, http: httpx.Client, headers: dict[str, str]) -> list[bytes]:
    answers, target = [], f"{server.base_url}{PRODUCTS}?pagination_type=search_after&limit=50"
    while target:
        response = http.get(target, headers=headers)
        assert response.status_code == 200
        answers.append(response.content)
        following = response.json()["_links"].get("next")
        target = following["href"] if following else ""
    return answers


def test_cached_pages_are_the_pages_and_an_edit_shows(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=240, seed=3)
    with httpx.Client(base_url=server.base_url) as http:
        headers = {"Authorization": f"Bearer {password_token(settings_for(server), http)}"}
        plain = pages(server, http, headers)
        server.configure(item_byte_cache=True)
        first, again = pages(server, http, headers), pages(server, http, headers)
        generated = server.catalog.generated_products
        assert pages(server, http, headers) == plain
        assert server.catalog.generated_products == generated  # the third read generated nothing
        assert first == again == plain and len(plain) == 5

        uuid = http.get(f"{server.base_url}{PRODUCTS}?limit=1", headers=headers).json()["_embedded"]["items"][0]["uuid"]
        server.catalog.override_values(uuid, {"name": [{"locale": None, "scope": None, "data": "edited"}]})
        edited = pages(server, http, headers)
        assert edited != plain and b'"data":"edited"' in b"".join(edited)


def test_a_page_with_an_integer_orjson_refuses_is_served_exactly(
        sandbox_factory: Callable[..., SandboxServer]) -> None:
    """A product holding an integer beyond 64 bits cannot be cached as bytes: its page is built
    as dicts and encoded by the standard library, the cached products beside it included."""
    server = sandbox_factory(products=120, seed=3)
    with httpx.Client(base_url=server.base_url) as http:
        headers = {"Authorization": f"Bearer {password_token(settings_for(server), http)}"}
        server.configure(item_byte_cache=True)
        plain = pages(server, http, headers)  # every product cached
        items = [json.loads(page)["_embedded"]["items"] for page in plain]
        uuid = items[0][1]["uuid"]
        huge = 10 ** 29 + 7
        server.catalog.override_values(uuid, {"weight": [{"locale": None, "scope": None, "data": huge}]})
        first = json.loads(pages(server, http, headers)[0])["_embedded"]["items"]
        assert [item["uuid"] for item in first] == [item["uuid"] for item in items[0]]
        assert first[1]["values"]["weight"] == [{"locale": None, "scope": None, "data": huge}]
