"""The sandbox as an Enterprise PIM, reading reference entity records and assets: every list equals
the ground truth, search_after paging, the `search` filters (per Akeneo version) and the 404s of
unknown codes, against the pagination and filter docs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from akeneo_pipeline.sandbox.enterprise.catalog import strip_links
from akeneo_pipeline_tests.fixtures.enterprise import (
    ANCHOR,
    API,
    ENTITIES,
    FAMILIES,
    Factory,
    epoch,
    iso_z,
    ok,
    search,
)
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI

# ---- ground truth, paging ---------------------------------------------------------------------------

def test_every_list_equals_the_ground_truth(ee: SandboxAPI) -> None:
    truth = ee.server.catalog.enterprise
    assert strip_links(ok(ee, "reference-entities")["_embedded"]["items"]) == truth.reference_entity_items()
    for code in ENTITIES:
        assert strip_links(ok(ee, f"reference-entities/{code}/attributes")) == truth.reference_entity_attributes(code)
        for attribute in truth.reference_entity_attributes(code):
            if attribute["type"] in ("single_option", "multiple_options"):
                assert ok(ee, f"reference-entities/{code}/attributes/{attribute['code']}/options") == \
                    truth.reference_entity_attribute_options(code, attribute["code"])
        assert strip_links(ee.walk(f"{API}/reference-entities/{code}/records")[0]) == truth.records(code)
    assert strip_links(ok(ee, "asset-families")["_embedded"]["items"]) == truth.asset_family_items()
    for code in FAMILIES:
        assert strip_links(ok(ee, f"asset-families/{code}/attributes")) == truth.asset_family_attributes(code)
        assert strip_links(ee.walk(f"{API}/asset-families/{code}/assets")[0]) == truth.assets(code)
    assert ok(ee, "asset-families/packshots/attributes/view/options") == \
        truth.asset_family_attribute_options("packshots", "view")


def test_records_page_by_search_after_only_in_code_order_with_opaque_cursors(ee: SandboxAPI) -> None:
    base = ee.server.base_url
    first = ok(ee, "reference-entities/brands/records", limit=7, page=3, pagination_type="page")
    items = first["_embedded"]["items"]
    assert len(items) == 100 and "current_page" not in first and "items_count" not in first  # limit/page ignored
    assert set(first["_links"]) == {"self", "first", "next"}
    assert first["_links"]["first"]["href"] == f"{base}{API}/reference-entities/brands/records"
    nxt = first["_links"]["next"]["href"]
    assert items[-1]["code"] not in nxt and "limit" not in nxt and "page=" not in nxt
    second = ee.get(nxt).json()
    assert "next" not in second["_links"] and len(second["_embedded"]["items"]) == 20
    codes = [r["code"] for r in items + second["_embedded"]["items"]]
    assert codes == sorted(codes) == ee.server.catalog.enterprise.reference_entities["brands"].records.order
    assert ee.get(f"{API}/reference-entities/brands/records", search_after="acme").status_code == 422


def test_query_parameters_ride_along_the_next_links_and_filter_values(ee: SandboxAPI) -> None:
    records, pages = ee.walk(f"{API}/reference-entities/designers/records", channel="mobile", locales="en_US")
    assert pages == 2 and len(records) == 120
    values = [v for r in records for vs in r["values"].values() for v in vs]
    assert values and all(v["channel"] in (None, "mobile") and v["locale"] in (None, "en_US") for v in values)
    full = ee.server.catalog.enterprise.records("designers")
    assert any(v["channel"] == "ecommerce" for r in full for v in r["values"].get("bio", []))
    first = ok(ee, "reference-entities/designers/records", channel="mobile", locales="en_US")
    assert "channel=mobile" in first["_links"]["next"]["href"] and "locales=en_US" in first["_links"]["next"]["href"]


# ---- filters ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,kind", [("reference-entities/brands/records", "records"),
                                        ("asset-families/packshots/assets", "assets")])
def test_updated_filter_reads_iso_8601_instants(ee: SandboxAPI, path: str, kind: str) -> None:
    catalog = ee.server.catalog.enterprise
    truth = catalog.records("brands") if kind == "records" else catalog.assets("packshots")
    stamps = sorted(epoch(i["updated"]) for i in truth)
    cut = stamps[len(stamps) // 2]
    after, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": iso_z(cut)}]))
    assert sorted(i["code"] for i in after) == sorted(i["code"] for i in truth if epoch(i["updated"]) > cut)
    shifted = datetime.fromtimestamp(cut, timezone(timedelta(hours=2))).isoformat()  # the same instant at +02:00
    same, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": shifted}]))
    assert [i["code"] for i in same] == [i["code"] for i in after]
    lo, hi = stamps[10], stamps[40]
    window, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": "BETWEEN",
                                                                 "value": [iso_z(lo), iso_z(hi)]}]))
    assert sorted(i["code"] for i in window) == sorted(i["code"] for i in truth if lo <= epoch(i["updated"]) <= hi)
    both, _ = ee.walk(f"{API}/{path}", search=search(updated=[{"operator": ">", "value": iso_z(lo)},
                                                              {"operator": "<", "value": iso_z(hi)}]))
    assert sorted(i["code"] for i in both) == sorted(i["code"] for i in truth if lo < epoch(i["updated"]) < hi)
    picked = [truth[3]["code"], truth[7]["code"]]
    assert [i["code"] for i in ee.walk(f"{API}/{path}", search=search(code=[{"operator": "IN", "value": picked}]))[0]] \
        == sorted(picked)


@pytest.mark.parametrize("value,status", [
    ({"updated": [{"operator": ">", "value": "2025-12-01 00:00:00"}]}, 422),  # the products' format
    ({"updated": [{"operator": ">", "value": "2025-12-01T00:00:00"}]}, 422),  # no offset
    ({"updated": [{"operator": "=", "value": "2025-12-01T00:00:00Z"}]}, 422),
    ({"updated": {"operator": ">", "value": "2025-12-01T00:00:00Z"}}, 422),  # not a list
    ({"family": [{"operator": "IN", "value": ["x"]}]}, 422),
    ({"complete": {"operator": "=", "value": True, "channel": "ecommerce", "locales": ["en_US"]}}, 422),
])
def test_bad_record_searches_are_refused(ee: SandboxAPI, value: dict[str, Any], status: int) -> None:
    answer = ee.get(f"{API}/reference-entities/brands/records", search=json.dumps(value))
    assert answer.status_code == status and answer.json()["code"] == status
    assert ee.get(f"{API}/reference-entities/brands/records", search="{nope").status_code == 400


def test_akeneo_6_filters_records_with_greater_than_only(sandbox_factory: Factory) -> None:
    api = SandboxAPI(sandbox_factory(products=20, edition="enterprise", akeneo_version=6, anchor=ANCHOR))
    between = search(updated=[{"operator": "BETWEEN", "value": ["2025-01-01T00:00:00Z", "2025-12-01T00:00:00Z"]}])
    assert api.get(f"{API}/reference-entities/brands/records", search=between).status_code == 422
    assert api.get(f"{API}/asset-families/packshots/assets", search=between).status_code == 200  # assets: 6.0
    code_in = search(code=[{"operator": "IN", "value": ["acme"]}])
    assert api.get(f"{API}/reference-entities/brands/records", search=code_in).status_code == 422  # 7.0
    greater = search(updated=[{"operator": ">", "value": "2025-01-01T00:00:00Z"}])
    assert api.get(f"{API}/reference-entities/brands/records", search=greater).status_code == 200
    assert "options" not in json.dumps(ok(api, "attributes/composition", with_table_select_options="true"))
    api.close()


# ---- 404s ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,message", [
    ("reference-entities/nope", 'Reference entity "nope" does not exist.'),
    ("reference-entities/nope/records", 'Reference entity "nope" does not exist.'),
    ("reference-entities/brands/attributes/nope", None),
    ("reference-entities/brands/attributes/founded/options", None),
    ("reference-entities/brands/attributes/country/options/nope", None),
    ("reference-entities/brands/records/nope", None),
    ("asset-families/nope/assets", 'Asset family "nope" does not exist.'),
    ("asset-families/packshots/assets/nope", None),
    ("asset-families/packshots/attributes/nope", None),
    ("reference-entities/brands/whatever", "No route found for 'GET /api/rest/v1/reference-entities/brands/whatever'"),
])
def test_unknown_codes_answer_404(ee: SandboxAPI, path: str, message: str | None) -> None:
    answer = ee.get(f"{API}/{path}")
    assert answer.status_code == 404 and answer.json()["code"] == 404
    if message:
        assert answer.json()["message"] == message
