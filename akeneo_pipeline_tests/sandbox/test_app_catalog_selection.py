"""The product selection of an App catalog in the sandbox: each criterion (enabled, family,
categories with Akeneo's operators) picks what Akeneo's filters pick, invalid selections are refused
as Akeneo's UI refuses them, and one product is served only from inside the selection, against
Akeneo's SaaS Swagger (fixtures/app_catalogs_swagger/) and pim-community-dev.

Expected selections are computed here from the items the sandbox serves (their `enabled`,
`family`, `categories`) and the category tree `/categories` lists, not from the sandbox's
own matching code, which is what is under test."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.app_catalogs_http import API, App, example_items, served, subtree

# ---- the product selection --------------------------------------------------------------------

CRITERIA: list[tuple[str, list[dict[str, Any]]]] = [
    ("enabled", [{"field": "enabled", "operator": "=", "value": True}]),
    ("disabled", [{"field": "enabled", "operator": "!=", "value": True}]),
    ("family in", [{"field": "family", "operator": "IN", "value": ["shoes", "home"]}]),
    ("family not in", [{"field": "family", "operator": "NOT IN", "value": ["clothing"]}]),
    ("no family", [{"field": "family", "operator": "EMPTY", "value": []}]),
    ("a family", [{"field": "family", "operator": "NOT EMPTY", "value": []}]),
    ("category in", [{"field": "categories", "operator": "IN", "value": ["men_tops"]}]),
    ("category not in", [{"field": "categories", "operator": "NOT IN", "value": ["men_tops", "women_tops"]}]),
    ("in children", [{"field": "categories", "operator": "IN CHILDREN", "value": ["men"]}]),
    ("not in children", [{"field": "categories", "operator": "NOT IN CHILDREN", "value": ["men"]}]),
    ("unclassified", [{"field": "categories", "operator": "UNCLASSIFIED", "value": []}]),
    ("in or unclassified", [{"field": "categories", "operator": "IN OR UNCLASSIFIED", "value": ["gear_outdoor"]}]),
    ("all together", [{"field": "enabled", "operator": "=", "value": True},
                      {"field": "family", "operator": "IN", "value": ["clothing", "accessories"]},
                      {"field": "categories", "operator": "IN CHILDREN", "value": ["women"]},
                      {"field": "categories", "operator": "NOT IN", "value": ["women_shoes"]}]),
]


def expected_selection(server: SandboxServer, criteria: list[dict[str, Any]]) -> set[str]:
    def keep(p: dict[str, Any], c: dict[str, Any]) -> bool:
        op, value = c["operator"], c["value"]
        if c["field"] == "enabled":
            return bool(p["enabled"] == value) if op == "=" else bool(p["enabled"] != value)
        if c["field"] == "family":
            family: dict[str, bool] = {"IN": p["family"] in value, "NOT IN": p["family"] not in value,
                                       "EMPTY": p["family"] is None, "NOT EMPTY": p["family"] is not None}
            return family[op]
        cats = set(p["categories"])
        codes = set().union(*(subtree(server, v) for v in value)) if "CHILDREN" in op else set(value)
        return {"IN": bool(cats & codes), "IN CHILDREN": bool(cats & codes), "NOT IN": not cats & codes,
                "NOT IN CHILDREN": not cats & codes, "UNCLASSIFIED": not cats,
                "IN OR UNCLASSIFIED": not cats or bool(cats & codes)}[op]

    return {u for u, p in served(server).items() if all(keep(p, c) for c in criteria)}


@pytest.mark.parametrize("name,criteria", CRITERIA, ids=[n for n, _ in CRITERIA])
def test_selection_criteria_pick_what_akeneos_filters_pick(server: SandboxServer, app: App, name: str,
                                                           criteria: list[dict[str, Any]]) -> None:
    catalog_id = app.create(name)
    app.configure(catalog_id, criteria)
    expected = expected_selection(server, criteria)
    assert expected and len(expected) < 240  # every case selects some products, not all
    uuids, _ = app.walk(f"{API}/catalogs/{catalog_id}/product-uuids", limit=50)
    assert set(uuids) == expected and len(uuids) == len(expected)
    assert server.app_catalogs.selected_uuids(catalog_id) == expected
    state = httpx.get(f"{server.base_url}/_sandbox/catalogs/{catalog_id}").json()
    assert state["selected_count"] == len(expected) and set(state["selected_uuids"]) == expected


@pytest.mark.parametrize("criteria,message", [
    ([{"field": "family", "operator": "CONTAINS", "value": ["shoes"]}], "not a valid choice"),
    ([{"field": "enabled", "operator": "=", "value": True, "scope": None}], "This field was not expected."),
    ([{"field": "family", "operator": "IN"}], "This field is missing."),
    ([{"field": "family", "operator": "EMPTY", "value": ["shoes"]}], "This value must be empty."),
    ([{"field": "enabled", "operator": "=", "value": "yes"}], "of type boolean"),
    ([{"field": "family", "operator": "IN", "value": ["boats"]}], "At least one selected family does not exist."),
    ([{"field": "categories", "operator": "IN", "value": ["men_tops", "moon"]}],
     "The following categories do not exist anymore: moon."),
    ([{"field": "completeness", "operator": ">", "value": 80}], "models only the enabled, family and categories"),
    ([{"field": "enabled", "operator": "=", "value": True}] * 26, "25 elements or less"),
])
def test_an_invalid_selection_is_refused_as_akeneos_ui_refuses_it(app: App, criteria: list[dict[str, Any]],
                                                                  message: str) -> None:
    catalog_id = app.create()
    refused = app.admin("catalogs/selection", {"id": catalog_id, "criteria": criteria})
    assert refused.status_code == 422 and message in refused.json()["message"]
    state = httpx.get(f"{app.server.base_url}/_sandbox/catalogs/{catalog_id}").json()
    assert state["product_selection_criteria"] == [{"field": "enabled", "operator": "=", "value": True}]


def test_a_product_of_the_catalog_and_one_outside_it(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "family", "operator": "IN", "value": ["shoes"]}])
    truth = served(server)
    inside = next(u for u, p in truth.items() if p["family"] == "shoes")
    outside = next(u for u, p in truth.items() if p["family"] != "shoes")
    got = app.get(f"{API}/catalogs/{catalog_id}/products/{inside}")
    assert got.status_code == 200 and got.json() == truth[inside]
    assert set(got.json()) == set(example_items("app_catalogs_id_products.yaml")[0])
    missing = app.get(f"{API}/catalogs/{catalog_id}/products/{outside}")
    assert missing.status_code == 404 and missing.json()["message"] == (
        f"Either catalog \"{catalog_id}\" does not exist or you can't access it, or product \"{outside}\" "
        "does not exist or you do not have permission to access it.")
    bad = app.get(f"{API}/catalogs/{catalog_id}/products/nope")
    assert bad.status_code == 422 and bad.json()["errors"] == [{"property": "product_uuid",
                                                                "message": "This is not a valid UUID."}]
    assert app.get(f"{API}/catalogs/{'2' * 8}-2222-4222-8222-{'2' * 12}/products/{inside}").status_code == 404
