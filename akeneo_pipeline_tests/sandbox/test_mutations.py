"""Mutations between runs, from Python and through `/_sandbox`, seen through the REST API."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import httpx
import pytest

from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI


def newest_updated(api: SandboxAPI) -> str:
    return str(max(p["updated"] for p in api.server.catalog.iter_products()))


def options(api: SandboxAPI, attribute: str) -> dict[str, dict]:
    items, _ = api.walk(f"/api/rest/v1/attributes/{attribute}/options", limit=100)
    return {o["code"]: o for o in items}


def test_update_products_moves_updated_and_changes_values(sandbox_api: SandboxAPI) -> None:
    before = {p["uuid"]: p for p in sandbox_api.server.catalog.iter_products()}
    previous_max = newest_updated(sandbox_api)
    uuids = sandbox_api.server.catalog.update_products(5)
    assert len(set(uuids)) == 5
    for uuid in uuids:
        after = sandbox_api.get(f"/api/rest/v1/products-uuid/{uuid}").json()
        assert after["updated"] >= previous_max and after["updated"] > before[uuid]["updated"]
        assert after["values"] != before[uuid]["values"] or after["parent"]
        assert after["created"] == before[uuid]["created"]


def test_create_delete_restore_products(sandbox_api: SandboxAPI) -> None:
    catalog = sandbox_api.server.catalog
    created = catalog.create_products(3)
    deleted = catalog.delete_products(4)
    items, _ = sandbox_api.walk("/api/rest/v1/products-uuid", pagination_type="search_after", limit=100)
    listed = {i["uuid"] for i in items}
    assert len(items) == 300 + 3 - 4
    assert set(created) <= listed and not set(deleted) & listed
    assert sandbox_api.get(f"/api/rest/v1/products-uuid/{deleted[0]}").status_code == 404
    fresh = sandbox_api.get(f"/api/rest/v1/products-uuid/{created[0]}").json()
    assert fresh["created"] == fresh["updated"] and fresh["values"]["sku"][0]["data"].startswith("SKU-")
    catalog.restore_products(deleted[:2])
    assert sandbox_api.get(f"/api/rest/v1/products-uuid/{deleted[0]}").status_code == 200
    with pytest.raises(ValueError, match="never existed"):
        catalog.restore_products(["00000000-0000-4000-8000-000000000000"])


def test_update_product_models(sandbox_api: SandboxAPI) -> None:
    catalog = sandbox_api.server.catalog
    before = {m["code"]: m for m in catalog.iter_product_models()}
    codes = catalog.update_product_models(2)
    for code in codes:
        after = sandbox_api.get(f"/api/rest/v1/product-models/{code}").json()
        assert after["updated"] > before[code]["updated"]


def test_edits_at_chosen_seconds_name_their_items_and_only_move_forward(sandbox_api: SandboxAPI) -> None:
    """`at` places an edit at a past second, so a test can lay out a history ("variants early,
    parent models late"); a stamp never runs ahead of the clock nor goes backwards."""
    catalog = sandbox_api.server.catalog
    products = list(catalog.iter_products())
    variant = next(p for p in products if p["parent"])
    own = datetime.fromisoformat(variant["updated"]).timestamp()
    at = int(own) + 60
    assert catalog.update_products(uuids=[variant["uuid"]], at=at) == [variant["uuid"]]
    served = sandbox_api.get(f"/api/rest/v1/products-uuid/{variant['uuid']}").json()
    assert datetime.fromisoformat(served["updated"]).timestamp() == at
    assert served["values"] != variant["values"] or served["values"]["size"]  # version moved on
    model = sandbox_api.get(f"/api/rest/v1/product-models/{variant['parent']}").json()
    model_at = max(at, int(datetime.fromisoformat(model["updated"]).timestamp())) + 1
    assert catalog.update_product_models(codes=[model["code"]], at=model_at) == [model["code"]]
    assert datetime.fromisoformat(
        sandbox_api.get(f"/api/rest/v1/product-models/{model['code']}").json()["updated"]).timestamp() == model_at
    served = sandbox_api.get(f"/api/rest/v1/products-uuid/{variant['uuid']}").json()  # with the model's new values
    with pytest.raises(ValueError, match="after the sandbox clock"):
        catalog.update_products(uuids=[variant["uuid"]], at=int(time.time()) + 3600)
    with pytest.raises(ValueError, match="only move forward"):
        catalog.update_products(uuids=[variant["uuid"]], at=at - 1)
    with pytest.raises(ValueError, match="only move forward"):
        catalog.update_product_models(codes=[model["code"]], at=model_at - 1)
    with pytest.raises(ValueError, match="does not exist"):
        catalog.update_product_models(codes=["no_such_model"])
    with pytest.raises(ValueError, match="either n"):
        catalog.update_products(2, uuids=[variant["uuid"]])
    served_again = sandbox_api.get(f"/api/rest/v1/products-uuid/{variant['uuid']}").json()
    assert served_again == served  # nothing half-applied


def test_option_mutations_are_visible_and_do_not_touch_the_attribute(sandbox_api: SandboxAPI) -> None:
    catalog = sandbox_api.server.catalog
    attribute_before = sandbox_api.get("/api/rest/v1/attributes/color").json()
    referencing = [p["uuid"] for p in catalog.iter_products() if p["values"].get("color", [{}])[0].get("data") == "red"]
    catalog.add_option("color", "teal", {"en_US": "Teal", "fr_FR": "Sarcelle"})
    catalog.relabel_option("color", "blue", "en_US", "Ocean blue")
    catalog.relabel_option("color", "blue", "de_DE", None)
    catalog.reorder_option("color", "black", 99)
    catalog.remove_option("color", "red")
    got = options(sandbox_api, "color")
    assert got["teal"]["labels"] == {"en_US": "Teal", "fr_FR": "Sarcelle"} and got["teal"]["sort_order"] == 8
    assert got["blue"]["labels"] == {"en_US": "Ocean blue", "fr_FR": "Bleu"}
    assert got["black"]["sort_order"] == 99 and "red" not in got
    assert sandbox_api.get("/api/rest/v1/attributes/color").json() == attribute_before
    # products keep pointing at the removed option
    assert referencing
    still = [p["uuid"] for p in catalog.iter_products() if p["values"].get("color", [{}])[0].get("data") == "red"]
    assert still == referencing
    with pytest.raises(ValueError):
        catalog.add_option("sku", "x", {})
    with pytest.raises(ValueError):
        catalog.remove_option("color", "red")


def test_add_attribute_is_newer_than_any_filter_cut(sandbox_api: SandboxAPI) -> None:
    catalog = sandbox_api.server.catalog
    cut = max(a["updated"] for a in catalog.items("attributes"))
    catalog.add_attribute("care_instructions", "pim_catalog_textarea", group="technical", localizable=True)
    search = json.dumps({"updated": [{"operator": ">", "value": cut}]})
    items, _ = sandbox_api.walk("/api/rest/v1/attributes", search=search)
    assert [a["code"] for a in items] == ["care_instructions"]
    assert items[0]["localizable"] is True and items[0]["group"] == "technical"
    group = sandbox_api.get("/api/rest/v1/attribute-groups/technical").json()
    assert "care_instructions" in group["attributes"]


def test_admin_api_runs_the_same_mutations(sandbox_api: SandboxAPI) -> None:
    base = sandbox_api.server.base_url
    post = lambda route, body=None: httpx.post(f"{base}/_sandbox/{route}", json=body or {})  # noqa: E731
    assert len(post("products/update", {"n": 2}).json()["uuids"]) == 2
    created = post("products/create", {"n": 1}).json()["uuids"]
    assert sandbox_api.get(f"/api/rest/v1/products-uuid/{created[0]}").status_code == 200
    deleted = post("products/delete", {"n": 1}).json()["uuids"]
    assert sandbox_api.get(f"/api/rest/v1/products-uuid/{deleted[0]}").status_code == 404
    assert post("products/restore", {"uuids": deleted}).status_code == 200
    assert len(post("product-models/update", {"n": 1}).json()["codes"]) == 1
    simple = next(p for p in sandbox_api.server.catalog.iter_products() if not p["parent"])
    at = int(datetime.fromisoformat(simple["updated"]).timestamp()) + 5
    assert post("products/update", {"uuids": [simple["uuid"]], "at": at}).json() == {"uuids": [simple["uuid"]]}
    assert sandbox_api.get(f"/api/rest/v1/products-uuid/{simple['uuid']}").json()["updated"] == \
        datetime.fromtimestamp(at, UTC).isoformat()
    model = next(sandbox_api.server.catalog.iter_product_models())["code"]
    assert post("product-models/update", {"codes": [model]}).json() == {"codes": [model]}
    late = post("products/update", {"uuids": [simple["uuid"]], "at": at - 1})
    assert late.status_code == 422 and "only move forward" in late.json()["message"]
    zenith = {"attribute": "brand", "code": "zenith", "labels": {"en_US": "Zenith"}}
    assert post("attribute-options/add", zenith).is_success
    assert post("attribute-options/relabel",
                {"attribute": "brand", "code": "zenith", "locale": "fr_FR", "label": "Zénith"}).is_success
    assert post("attribute-options/reorder", {"attribute": "brand", "code": "zenith", "sort_order": 0}).is_success
    assert options(sandbox_api, "brand")["zenith"] == {
        "_links": {"self": {"href": f"{base}/api/rest/v1/attributes/brand/options/zenith"}},
        "code": "zenith", "attribute": "brand", "sort_order": 0, "labels": {"en_US": "Zenith", "fr_FR": "Zénith"}}
    assert post("attribute-options/remove", {"attribute": "brand", "code": "zenith"}).is_success
    assert "zenith" not in options(sandbox_api, "brand")
    assert post("attributes/add", {"code": "gtin", "type": "pim_catalog_text"}).is_success
    assert sandbox_api.get("/api/rest/v1/attributes/gtin").status_code == 200
    bad = post("attribute-options/remove", {"attribute": "brand"})
    assert bad.status_code == 422 and "code" in bad.json()["message"]
    assert post("configure", {"latency_ms": 1}).is_success and sandbox_api.server.config.latency_ms == 1
    assert post("configure", {"products": 5}).status_code == 422
    assert post("password", {"new_password": "changed"}).is_success
    assert sandbox_api.server.credentials["password"] == "changed"
    assert post("app-tokens/revoke").json() == {"revoked": 0}
    assert sandbox_api.server.internal_errors == []


def test_remove_attribute_takes_its_options_and_spares_family_attributes(sandbox_api: SandboxAPI) -> None:
    catalog = sandbox_api.server.catalog
    catalog.add_attribute("finish", "pim_catalog_simpleselect", group="technical")
    catalog.add_option("finish", "matte", {"en_US": "Matte"})
    assert sandbox_api.get("/api/rest/v1/attributes/finish/options/matte").status_code == 200
    catalog.remove_attribute("finish")
    assert sandbox_api.get("/api/rest/v1/attributes/finish").status_code == 404
    assert sandbox_api.get("/api/rest/v1/attributes/finish/options/matte").status_code == 404
    assert not any(o["attribute"] == "finish" for o in catalog.items("attribute_options"))
    assert "finish" not in sandbox_api.get("/api/rest/v1/attribute-groups/technical").json()["attributes"]
    with pytest.raises(ValueError, match="used by families"):
        catalog.remove_attribute("color")
    with pytest.raises(ValueError, match="does not exist"):
        catalog.remove_attribute("finish")


def test_attributes_and_options_are_listed_by_code_as_akeneo_pages_them(sandbox_api: SandboxAPI) -> None:
    sandbox_api.server.catalog.add_attribute("aa_fit", "pim_catalog_text")
    attributes, _ = sandbox_api.walk("/api/rest/v1/attributes", limit=4)
    codes = [a["code"] for a in attributes]
    assert codes == sorted(codes) and codes[0] == "aa_fit"
    options_read, _ = sandbox_api.walk("/api/rest/v1/attributes/color/options", limit=3)
    assert [o["code"] for o in options_read] == sorted(o["code"] for o in options_read)


def test_a_scheduled_mutation_lands_between_two_pages_and_shifts_the_offset_pages(sandbox_api: SandboxAPI) -> None:
    """Removing an option already read shifts the later ones back: one is pushed out of the pages read."""
    server, base = sandbox_api.server, sandbox_api.server.base_url
    path = "/api/rest/v1/attributes/color/options"
    before = [o["code"] for o in sandbox_api.walk(path, limit=3)[0]]
    assert before == ["black", "blue", "green", "grey", "navy", "red", "white", "yellow"]
    reply = httpx.post(f"{base}/_sandbox/schedule", json={
        "path": path, "after": 1, "mutation": "attribute-options/remove",
        "body": {"attribute": "color", "code": "black"}})
    assert reply.is_success
    server.schedule_mutation(path, 1, "attribute-options/add", {"attribute": "color", "code": "zinc", "labels": {}})
    assert len(httpx.get(f"{base}/_sandbox/schedule").json()["pending"]) == 2
    assert sandbox_api.get("/api/rest/v1/attributes/color").status_code == 200  # another path: not counted
    read = [o["code"] for o in sandbox_api.walk(path, limit=3)[0]]
    # page 1 before the edit; page 2 starts at offset 3 of [blue, green, grey, navy, ...]: grey is skipped
    assert read == ["black", "blue", "green", "navy", "red", "white", "yellow", "zinc"]
    schedule = httpx.get(f"{base}/_sandbox/schedule").json()
    assert schedule["pending"] == [] and [a["mutation"] for a in schedule["applied"]] == [
        "attribute-options/remove", "attribute-options/add"]
    assert all(a["error"] is None and a["seen"] == 1 for a in schedule["applied"])
    after = [o["code"] for o in sandbox_api.walk(path, limit=3)[0]]  # fired once: the next read is whole
    assert after == ["blue", "green", "grey", "navy", "red", "white", "yellow", "zinc"]


def test_scheduling_refuses_bad_entries_and_records_a_failed_mutation(sandbox_api: SandboxAPI) -> None:
    server, base = sandbox_api.server, sandbox_api.server.base_url
    post = lambda body: httpx.post(f"{base}/_sandbox/schedule", json=body)  # noqa: E731
    assert "unknown mutation" in post({"path": "/x", "after": 1, "mutation": "nope"}).json()["message"]
    assert "unknown mutation" in post({"path": "/x", "after": 1, "mutation": "schedule"}).json()["message"]
    assert post({"path": "(", "after": 1, "mutation": "products/update"}).status_code == 422
    assert "after must be" in post({"path": "/x", "after": 0, "mutation": "products/update"}).json()["message"]
    assert "'mutation'" in post({"path": "/x", "after": 1}).json()["message"]
    server.schedule_mutation("/api/rest/v1/locales", 2, "attribute-options/remove", {"attribute": "color", "code": "x"})
    for _ in range(2):
        assert sandbox_api.get("/api/rest/v1/locales").status_code == 200  # the failed edit breaks no answer
    [applied] = server.schedule.applied
    assert applied["seen"] == 2 and "does not exist" in applied["error"]
    assert httpx.post(f"{base}/_sandbox/schedule/clear").is_success and server.schedule.applied == []
    assert server.internal_errors == []
