"""The sandbox's products through an App catalog: search_after paging, `updated` windows, the
product selection, disabled / deleted / invalid catalogs and the category removal that disables
them, against Akeneo's SaaS Swagger (fixtures/app_catalogs_swagger/) and pim-community-dev.

Expected selections are computed here from the items the sandbox serves (their `enabled`,
`family`, `categories`) and the category tree `/categories` lists, not from the sandbox's
own matching code, which is what is under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote_plus

import httpx
import jsonschema
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sandbox.products import iso
from akeneo_pipeline_tests.fixtures.app_catalogs_http import (
    API,
    DEFINITIONS,
    LIST_DISABLED,
    ONE_DISABLED,
    App,
    Factory,
    example_items,
    resolve,
    served,
    spec,
    subtree,
    validator,
)
from akeneo_pipeline_tests.fixtures.swagger import loosen

# ---- products through a catalog ---------------------------------------------------------------

def test_products_and_uuids_page_by_search_after_and_match_the_specs(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "enabled", "operator": "=", "value": True}])
    expected = sorted(u for u, p in served(server).items() if p["enabled"])
    products, pages = app.walk(f"{API}/catalogs/{catalog_id}/products", limit=17)
    assert [p["uuid"] for p in products] == expected  # each once, in uuid order
    assert len(pages) == len(expected) // 17 + 1
    # The Swagger types the page's items as uuid strings while its example shows products: the
    # envelope is read against the spec, the items against its example's keys and the main
    # Swagger's ProductUuid definition (what GetConnectorProducts normalizes).
    envelope = resolve(spec("app_catalogs_id_products.yaml")["get"]["responses"][200]["schema"])["allOf"][0]
    product = jsonschema.Draft4Validator(loosen(DEFINITIONS["ProductUuid"]))
    for page in pages:
        jsonschema.Draft4Validator(envelope).validate(page)
    for p in products:
        product.validate(p)
        assert set(p) == set(example_items("app_catalogs_id_products.yaml")[0])  # no _links, no product model
    truth = served(server)
    assert all(p == truth[p["uuid"]] for p in products)
    first = pages[0]["_links"]
    assert first["self"]["href"] == f"{server.base_url}{API}/catalogs/{catalog_id}/products?limit=17"
    assert first["next"]["href"].endswith(f"?search_after={products[16]['uuid']}&limit=17")
    uuids, uuid_pages = app.walk(f"{API}/catalogs/{catalog_id}/product-uuids", limit=1000)
    for page in uuid_pages:
        validator("app_catalogs_id_product_uuids.yaml", "get", 200).validate(page)
    assert uuids == expected and len(uuid_pages) == 1
    assert set(uuids) == server.app_catalogs.selected_uuids(catalog_id)
    default = app.get(f"{API}/catalogs/{catalog_id}/product-uuids").json()
    assert len(default["_embedded"]["items"]) == 100 and "limit=100" in default["_links"]["self"]["href"]


def test_a_full_last_page_links_to_an_empty_one_and_paging_parameters_are_validated(
        server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "family", "operator": "IN", "value": ["home"]}])
    count = len(server.app_catalogs.selected_uuids(catalog_id))
    assert count > 1
    full = app.get(f"{API}/catalogs/{catalog_id}/product-uuids", limit=count).json()
    assert len(full["_embedded"]["items"]) == count and "next" in full["_links"]
    empty = app.get(full["_links"]["next"]["href"]).json()
    assert empty["_embedded"]["items"] == [] and "next" not in empty["_links"]
    path = f"{API}/catalogs/{catalog_id}/products"
    cases: list[tuple[dict[str, Any], list[dict[str, str]]]] = [
        ({"limit": 1001}, [{"property": "limit", "message": "This value should be between 1 and 1000."}]),
        ({"limit": "abc"}, [{"property": "limit", "message": "This value should be between 1 and 1000."}]),
        ({"search_after": "opaque"}, [{"property": "search_after", "message": "This is not a valid UUID."}]),
        ({"updated_after": "2024-05-01", "updated_before": "yesterday"},
         [{"property": "updated_after", "message": "ISO 8601 format is required."},
          {"property": "updated_before", "message": "ISO 8601 format is required."}]),
    ]
    for params, errors in cases:
        answer = app.get(path, **params)
        assert answer.status_code == 422 and answer.json() == {"code": 422, "message": "Validation failed.",
                                                               "errors": errors}
    assert len(app.get(path, limit=1000).json()["_embedded"]["items"]) == count


def test_updated_windows_are_strict_alone_and_inclusive_together(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "family", "operator": "NOT EMPTY", "value": []}])
    selected = sorted(server.app_catalogs.selected_uuids(catalog_id))
    stamp = server.catalog.now()
    edited = sorted(server.catalog.update_products(uuids=selected[:3], at=stamp))
    path = f"{API}/catalogs/{catalog_id}/product-uuids"

    def window(**params: str) -> list[str]:
        return app.walk(path, limit=1000, **params)[0]

    def at(ts: int, zone: str = "+00:00") -> str:
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        offset = timedelta(hours=hours, minutes=minutes) * (1 if zone[0] == "+" else -1)
        return datetime.fromtimestamp(ts, timezone(offset)).isoformat()

    assert window(updated_after=at(stamp - 1)) == edited
    assert window(updated_after=at(stamp)) == []  # `>`
    assert window(updated_after=at(stamp - 1, "+02:00")) == edited  # the offset is honoured
    assert window(updated_after=at(stamp - 1).replace("+00:00", "Z")) == edited
    before = window(updated_before=at(stamp))  # `<`
    assert not set(before) & set(edited) and len(before) == len(selected) - 3
    assert set(window(updated_before=at(stamp + 1))) == set(selected)
    assert window(updated_after=at(stamp), updated_before=at(stamp)) == edited  # BETWEEN, inclusive
    assert window(updated_after="") == selected  # an empty value filters nothing
    assert window(updated_after=at(stamp), updated_before="") == selected  # nor does a half-empty pair
    raw_plus = app.http.get(f"{path}?updated_after={at(stamp)}")  # `+` unencoded reads as a space
    assert raw_plus.status_code == 422
    links = app.get(path, limit=1, updated_after=at(stamp - 1)).json()["_links"]
    assert "updated_after=" + quote_plus(at(stamp - 1)) in links["next"]["href"]


def test_updated_windows_do_not_depend_on_the_servers_time_zone(sandbox_factory: Factory) -> None:
    """The catalog code converts the bounds to UTC before the PQB reads them in UTC
    (GetProductUuidsQuery::parseUpdatedParameters, DateTimeFilter::getFormattedDate): unlike
    `/products-uuid` filter dates, they are instants whatever the PIM's zone."""
    server = sandbox_factory(products=80, seed=4, timezone="America/New_York")
    app = App(server)
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "enabled", "operator": "=", "value": True}])
    stamp = server.catalog.now()
    edited = sorted(server.catalog.update_products(uuids=sorted(server.app_catalogs.selected_uuids(catalog_id))[:2],
                                                   at=stamp))
    after = datetime.fromtimestamp(stamp - 1, UTC).isoformat()
    items, _ = app.walk(f"{API}/catalogs/{catalog_id}/products", updated_after=after)
    assert [p["uuid"] for p in items] == edited
    assert all(p["updated"].endswith(("-05:00", "-04:00")) for p in items)  # stamps in the server's zone


def test_the_variant_updated_rule_holds_through_the_catalog(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "family", "operator": "IN", "value": ["clothing"]}])
    truth = served(server)
    variant = next(p for p in truth.values() if p["family"] == "clothing" and p["parent"])
    model = server.catalog.find_product_model(variant["parent"])
    assert model is not None
    siblings = {u for u in server.app_catalogs.selected_uuids(catalog_id)
                if truth[u]["parent"] == variant["parent"]}
    stamp = server.catalog.now()
    server.catalog.update_product_models(codes=[variant["parent"]], at=stamp)
    after = iso(stamp - 1)
    items, _ = app.walk(f"{API}/catalogs/{catalog_id}/products", updated_after=after)
    assert {p["uuid"] for p in items} == siblings and siblings  # the variants under the edited model
    assert all(p["updated"] < after for p in items)  # each shows its own older stamp
    assert all(p["parent"] == variant["parent"] for p in items)


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


# ---- disabled, invalid, deleted ---------------------------------------------------------------

def test_a_disabled_catalog_answers_200_with_akeneos_error_and_no_items(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    inside = next(iter(server.app_catalogs.selected_uuids(catalog_id)))
    for kind in ("products", "product-uuids"):
        answer = app.get(f"{API}/catalogs/{catalog_id}/{kind}")
        assert answer.status_code == 200 and answer.json() == {"error": LIST_DISABLED.format(id=catalog_id)}
    one = app.get(f"{API}/catalogs/{catalog_id}/products/{inside}")
    assert one.status_code == 200 and one.json() == {"error": ONE_DISABLED.format(id=catalog_id)}
    # The query's validation comes before the handler's check.
    assert app.get(f"{API}/catalogs/{catalog_id}/products", limit=0).status_code == 422
    assert app.admin("catalogs/enable", {"id": catalog_id}).status_code == 200
    assert app.get(f"{API}/catalogs/{catalog_id}").json()["enabled"] is True
    assert "_embedded" in app.get(f"{API}/catalogs/{catalog_id}/products").json()
    assert app.admin("catalogs/disable", {"id": catalog_id}).status_code == 200
    disabled = app.get(f"{API}/catalogs/{catalog_id}/product-uuids").json()
    assert disabled == {"error": LIST_DISABLED.format(id=catalog_id)}


def test_disabling_between_two_pages_of_a_read(server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "enabled", "operator": "=", "value": True}])
    schedule = app.admin("schedule", {"path": f"{API}/catalogs/{catalog_id}/products", "after": 1,
                                      "mutation": "catalogs/disable", "body": {"id": catalog_id}})
    assert schedule.status_code == 200
    first = app.get(f"{API}/catalogs/{catalog_id}/products", limit=10).json()
    assert len(first["_embedded"]["items"]) == 10
    second = app.get(first["_links"]["next"]["href"])
    assert second.status_code == 200 and second.json() == {"error": LIST_DISABLED.format(id=catalog_id)}


def test_removing_a_selected_category_disables_the_catalog(server: SandboxServer, app: App) -> None:
    hit = app.create("men's tops")
    app.configure(hit, [{"field": "enabled", "operator": "=", "value": True},
                        {"field": "categories", "operator": "NOT IN", "value": ["men_tops"]}])
    spared = app.create("women's tops")
    app.configure(spared, [{"field": "categories", "operator": "IN", "value": ["women_tops"]}])
    parent = app.create("men, by parent code")  # a criterion naming only the parent is not "containing" men_tops
    app.configure(parent, [{"field": "categories", "operator": "IN CHILDREN", "value": ["men"]}])
    classified = {u for u, p in served(server).items() if "men_tops" in p["categories"]}
    assert classified
    removed = app.admin("categories/remove", {"code": "men_tops"})
    assert removed.status_code == 200 and removed.json() == {"codes": ["men_tops"], "disabled_catalogs": [hit]}
    assert app.get(f"{API}/catalogs/{hit}").json()["enabled"] is False
    assert app.get(f"{API}/catalogs/{hit}/products").json() == {"error": LIST_DISABLED.format(id=hit)}
    assert "_embedded" in app.get(f"{API}/catalogs/{spared}/products").json()
    assert app.get(f"{API}/catalogs/{parent}").json()["enabled"] is True
    assert not any("men_tops" in p["categories"] for p in served(server).values())  # products unclassified
    truth = served(server)
    assert all(set(truth[u]["categories"]) <= subtree(server, "master") for u in classified)
    refused = app.admin("catalogs/enable", {"id": hit})  # the UI will not enable an invalid selection
    assert refused.status_code == 422 and "do not exist anymore: men_tops" in refused.json()["message"]
    app.configure(hit, [{"field": "enabled", "operator": "=", "value": True}])  # the user fixes it
    assert "_embedded" in app.get(f"{API}/catalogs/{hit}/products").json()


def test_a_removal_takes_the_subtree_and_an_unrun_job_leaves_the_disabling_to_the_next_read(
        server: SandboxServer, app: App) -> None:
    catalog_id = app.create()
    app.configure(catalog_id, [{"field": "categories", "operator": "IN", "value": ["women_shoes"]}])
    removed = app.admin("categories/remove", {"code": "women", "run_job": False}).json()
    assert removed == {"codes": ["women", "women_accessories", "women_shoes", "women_tops"], "disabled_catalogs": []}
    assert app.get(f"{API}/categories/women_shoes").status_code == 404  # the App asked read_categories
    assert app.get(f"{API}/catalogs/{catalog_id}").json()["enabled"] is True  # the job has not run
    # GetProductUuidsHandler: the query fails on the missing category, the catalog is invalid: disabled.
    answer = app.get(f"{API}/catalogs/{catalog_id}/product-uuids")
    assert answer.json() == {"error": LIST_DISABLED.format(id=catalog_id)}
    assert app.get(f"{API}/catalogs/{catalog_id}").json()["enabled"] is False
    state = httpx.get(f"{server.base_url}/_sandbox/catalogs/{catalog_id}").json()
    assert state["valid"] is False and "women_shoes" in state["invalid_reason"]
    roots = app.admin("categories/remove", {"code": "master"})
    assert roots.status_code == 422 and "tree root" in roots.json()["message"]


def test_akeneo_6_serves_no_catalogs(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=20, akeneo_version=6)
    app = App(server)
    answer = app.get(f"{API}/catalogs")
    assert answer.status_code == 404 and "No route found" in answer.json()["message"]
