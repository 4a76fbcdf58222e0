"""Each `search` filter returns exactly the items the ground truth says match."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI
from akeneo_pipeline_tests.fixtures.zones import ZONES

ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z


@pytest.fixture
def api(sandbox_factory: Callable[..., SandboxServer]) -> Iterator[SandboxAPI]:
    api = SandboxAPI(sandbox_factory(products=400, seed=3, anchor=ANCHOR, history_days=60))
    yield api
    api.close()


def fmt(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


def epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def search_uuids(api: SandboxAPI, search: dict, pagination: str = "search_after") -> list[str]:
    items, _ = api.walk("/api/rest/v1/products-uuid", search=json.dumps(search), limit=100,
                        pagination_type=pagination)
    uuids = [i["uuid"] for i in items]
    assert len(uuids) == len(set(uuids))
    return uuids


def indexed_updated(api: SandboxAPI) -> dict[str, int]:
    """Each product's `updated` as Akeneo's search index holds it, from the items served: the
    newest of its own stamp and its parent models' (pim-community-dev,
    GetElasticsearchProductProjection.php: `GREATEST(product.updated,
    COALESCE(sub_product_model.updated, 0), COALESCE(root_product_model.updated, 0))`)."""
    models = {m["code"]: m for m in api.server.catalog.iter_product_models()}
    out = {}
    for p in api.server.catalog.iter_products():
        stamps = [epoch(p["updated"])]
        parent = p["parent"]
        while parent:
            stamps.append(epoch(models[parent]["updated"]))
            parent = models[parent]["parent"]
        out[p["uuid"]] = max(stamps)
    return out


def expected(api: SandboxAPI, predicate: Callable[[int], bool]) -> list[str]:
    """Products, in uuid order, whose indexed `updated` satisfies `predicate`."""
    return [uuid for uuid, stamp in indexed_updated(api).items() if predicate(stamp)]


def operator_cases(mid: int, low: int, high: int) -> list[tuple[dict[str, Any], Callable[[int], bool]]]:
    """Every date operator Akeneo's filters page lists, with the instants it should keep
    (`=` and `!=` compare the day, as Akeneo's date filters do)."""
    day = mid // 86400 * 86400
    return [
        ({"operator": ">", "value": fmt(mid)}, lambda t: t > mid),
        ({"operator": "<", "value": fmt(mid)}, lambda t: t < mid),
        ({"operator": "=", "value": fmt(mid)}, lambda t: day <= t < day + 86400),
        ({"operator": "!=", "value": fmt(mid)}, lambda t: not day <= t < day + 86400),
        ({"operator": "BETWEEN", "value": [fmt(low), fmt(high)]}, lambda t: low <= t <= high),
        ({"operator": "NOT BETWEEN", "value": [fmt(low), fmt(high)]}, lambda t: not low <= t <= high),
    ]


def test_updated_operators_match_ground_truth(api: SandboxAPI) -> None:
    stamps = sorted(epoch(p["updated"]) for p in api.server.catalog.iter_products())
    mid, low, high = stamps[len(stamps) // 2], stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    cases = operator_cases(mid, low, high)
    for condition, predicate in cases:
        want = expected(api, predicate)
        assert 0 < len(want) < 400, condition
        assert search_uuids(api, {"updated": [condition]}) == want, condition
        assert sorted(search_uuids(api, {"updated": [condition]}, "page")) == sorted(want), condition


def test_created_operators_match_ground_truth_with_updated_and_new_products(api: SandboxAPI) -> None:
    """`created` is answered from a sorted index like `updated` (catalog.py): every operator,
    ANDed with `updated`, and products created since the catalog was generated."""
    catalog = api.server.catalog
    new = set(catalog.create_products(3))
    created = {p["uuid"]: epoch(p["created"]) for p in catalog.iter_products()}
    stamps = sorted(created.values())
    mid, low, high = stamps[len(stamps) // 2], stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    cases = [*operator_cases(mid, low, high),
             ({"operator": ">", "value": fmt(stamps[-4])}, lambda t: t > stamps[-4])]
    for condition, predicate in cases:
        want = [uuid for uuid, stamp in created.items() if predicate(stamp)]
        assert 0 < len(want) < len(created), condition
        assert search_uuids(api, {"created": [condition]}) == want, condition
    assert new <= set(search_uuids(api, {"created": [{"operator": ">", "value": fmt(stamps[-4])}]}))
    updated = indexed_updated(api)
    u_mid = sorted(updated.values())[len(updated) // 2]
    both = {"created": [{"operator": "<", "value": fmt(mid)}], "updated": [{"operator": ">", "value": fmt(u_mid)}]}
    want = [uuid for uuid in created if created[uuid] < mid and updated[uuid] > u_mid]
    assert want and search_uuids(api, both) == want


def test_since_last_n_days_and_anded_conditions(api: SandboxAPI) -> None:
    api.server.catalog.update_products(5)
    recent = search_uuids(api, {"updated": [{"operator": "SINCE LAST N DAYS", "value": 1}]})
    assert len(recent) == 5
    stamps = sorted(epoch(p["updated"]) for p in api.server.catalog.iter_products())
    low, high = stamps[50], stamps[300]
    both = {"updated": [{"operator": ">", "value": fmt(low)}, {"operator": "<", "value": fmt(high)}]}
    assert search_uuids(api, both) == expected(api, lambda t: low < t < high)


def test_one_indexed_updated_per_item_the_newest_of_its_line(api: SandboxAPI) -> None:
    """Akeneo indexes ONE `updated` per item and the filter matches only that one: a variant
    product's is the newest of its own, its sub product model's and its root product model's
    (GetElasticsearchProductProjection.php, `updated_date`), a sub product model's the newer of
    its own and its root's (GetElasticsearchProductModelProjection.php: `GREATEST(product_model.updated,
    COALESCE(root_product_model.updated, 0))`). The item still shows its own stamp. So a variant
    edited before its parent model is not listed by a window on its own stamp at all."""
    catalog = api.server.catalog
    models = {m["code"]: m for m in catalog.iter_product_models()}
    products = list(catalog.iter_products())
    root = next(code for code, m in models.items() if m["family_variant"] == "clothing_color_size" and not m["parent"])
    sub, other_sub = sorted(code for code, m in models.items() if m["parent"] == root)
    shoes = next(code for code, m in models.items() if m["family_variant"] == "shoes_size")
    under = {code: [p["uuid"] for p in products if p["parent"] == code] for code in (sub, other_sub, shoes)}
    v, w, x = under[sub][0], under[other_sub][0], under[shoes][0]
    t1, t2, t3 = ANCHOR + 1_000, ANCHOR + 2_000, ANCHOR + 3_000
    catalog.update_products(uuids=[v, w, x], at=t1)
    catalog.update_product_models(codes=[sub, shoes], at=t2)
    catalog.update_product_models(codes=[root], at=t3)

    def listed(path: str, key: str, lo: int, hi: int) -> set[str]:
        between = {"updated": [{"operator": "BETWEEN", "value": [fmt(lo), fmt(hi)]}]}
        items, _ = api.walk(path, search=json.dumps(between),
                            limit=100)
        return {item[key] for item in items}

    products_at = lambda lo, hi: listed("/api/rest/v1/products-uuid", "uuid", lo, hi)  # noqa: E731
    models_at = lambda lo, hi: listed("/api/rest/v1/product-models", "code", lo, hi)  # noqa: E731
    assert products_at(t1, t1) == set()  # v, w, x were edited at t1, but are indexed later
    assert products_at(t2, t2) == set(under[shoes])  # the shoes model's stamp, no newer one above it
    assert products_at(t3, t3) == set(under[sub] + under[other_sub])  # every variant of the root, both levels
    assert models_at(t2, t2) == {shoes}  # the sub model edited at t2 is indexed with its root's t3
    assert models_at(t3, t3) == {root, sub, other_sub}
    assert products_at(t1, t3) == set(under[sub] + under[other_sub] + under[shoes])
    # served items show their own stamps
    for uuid in (v, w, x):
        assert epoch(api.get(f"/api/rest/v1/products-uuid/{uuid}").json()["updated"]) == t1
    assert epoch(api.get(f"/api/rest/v1/product-models/{sub}").json()["updated"]) == t2
    # and the uuid filter combined with `updated` matches the indexed stamp too
    both = {"uuid": [{"operator": "IN", "value": [v, x]}],
            "updated": [{"operator": "BETWEEN", "value": [fmt(t1), fmt(t2)]}]}
    assert search_uuids(api, both) == [x]


def test_uuid_family_and_enabled_filters(api: SandboxAPI) -> None:
    products = list(api.server.catalog.iter_products())
    some = [p["uuid"] for p in products[::37]]
    assert search_uuids(api, {"uuid": [{"operator": "IN", "value": some}]}) == some
    assert search_uuids(api, {"family": [{"operator": "IN", "value": ["shoes", "home"]}]}) == \
        [p["uuid"] for p in products if p["family"] in ("shoes", "home")]
    assert search_uuids(api, {"family": [{"operator": "NOT IN", "value": ["clothing"]}]}) == \
        [p["uuid"] for p in products if p["family"] != "clothing"]
    disabled = search_uuids(api, {"enabled": [{"operator": "=", "value": False}]})
    assert disabled and disabled == [p["uuid"] for p in products if not p["enabled"]]
    combined = {"enabled": [{"operator": "=", "value": True}], "family": [{"operator": "IN", "value": ["shoes"]}]}
    assert search_uuids(api, combined) == [p["uuid"] for p in products if p["enabled"] and p["family"] == "shoes"]


def test_with_count_counts_the_filtered_set(api: SandboxAPI) -> None:
    search = json.dumps({"family": [{"operator": "IN", "value": ["clothing"]}]})
    body = api.get("/api/rest/v1/products-uuid", search=search, with_count="true").json()
    assert body["items_count"] == sum(p["family"] == "clothing" for p in api.server.catalog.iter_products())


@pytest.mark.parametrize("search,status", [
    ("{not json", 400),
    ('{"updated": [{"operator": "AFTER", "value": "2026-01-01 00:00:00"}]}', 422),
    ('{"updated": [{"operator": ">", "value": "2026-01-01T00:00:00Z"}]}', 422),
    ('{"updated": {"operator": ">"}}', 422),
    ('{"colour": [{"operator": "=", "value": "red"}]}', 422),
])
def test_bad_search_is_rejected(api: SandboxAPI, search: str, status: int) -> None:
    for path in ("products-uuid", "product-models"):
        response = api.get(f"/api/rest/v1/{path}", search=search)
        assert response.status_code == status, (path, response.text)
        assert response.json()["code"] == status


@pytest.mark.parametrize("path,stream", [("attributes", "attributes"), ("attribute-groups", "attribute_groups"),
                                         ("families", "families"), ("categories", "categories")])
def test_structure_updated_filter_takes_iso_8601(api: SandboxAPI, path: str, stream: str) -> None:
    items = api.server.catalog.items(stream)
    stamps = sorted(i["updated"] for i in items)
    cut = stamps[len(stamps) // 2]
    for value in (cut.replace("+00:00", "Z"), cut):
        got, _ = api.walk(f"/api/rest/v1/{path}", search=json.dumps({"updated": [{"operator": ">", "value": value}]}))
        assert sorted(i["code"] for i in got) == sorted(i["code"] for i in items if i["updated"] > cut)
    bad = api.get(f"/api/rest/v1/{path}", search=json.dumps({"updated": [{"operator": "<", "value": cut}]}))
    assert bad.status_code == 422


# ---- the server's time zone ---------------------------------------------------------------
NY = ZONES["UTC-5"]


def test_stamps_carry_the_offset_of_the_server_zone_at_their_instant(
    sandbox_factory: Callable[..., SandboxServer]
) -> None:
    """On-premise Akeneo stamps items in its own zone (DateTimeNormalizer: `format('c')`;
    concepts_products.md shows `+02:00`): winter and summer offsets alike."""
    from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI

    api = SandboxAPI(sandbox_factory(products=200, seed=3, anchor=ANCHOR, timezone=NY.name))
    try:
        zone = ZoneInfo(NY.name)
        catalog = api.server.catalog
        items = [*catalog.iter_products(), *catalog.iter_product_models(), *catalog.items("attributes"),
                 *catalog.items("categories")]
        offsets = set()
        for item in items:
            for field in ("updated", "created"):
                if field in item:
                    moment = datetime.fromisoformat(item[field])
                    assert moment.utcoffset() == moment.astimezone(zone).utcoffset(), item[field]
                    offsets.add(item[field][19:])
        assert offsets == {"-05:00", "-04:00"}
        served = api.get("/api/rest/v1/products-uuid", limit=5).json()["_embedded"]["items"]
        assert all(item["updated"][19:] in offsets for item in served)
    finally:
        api.close()


@pytest.mark.parametrize("fold", [0, 1])
def test_filter_dates_are_read_in_the_server_zone_folds_and_gaps_as_configured(
    sandbox_factory: Callable[..., SandboxServer], fold: int
) -> None:
    """`YYYY-MM-DD hh:mm:ss` names a local time of the server (rest-api_filter.md; PR 8585,
    PIM-7541: `DateTime::createFromFormat` in the default zone). A fall-back's repeated hour
    names two instants, a spring-forward's skipped hour none: fold=0 reads them as PHP does
    (the first; pushed forward), fold=1 the other way."""
    from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI
    from akeneo_pipeline_tests.fixtures.zones import ANCHOR as BEFORE_DST

    api = SandboxAPI(sandbox_factory(products=50, seed=3, anchor=BEFORE_DST, timezone=NY.name, fold=fold))
    try:
        catalog = api.server.catalog
        uuids = [p["uuid"] for p in catalog.iter_products()]
        first, second, before_gap, after_gap, evening = uuids[:5]
        stamps = {first: NY.fall_back - 1_800, second: NY.fall_back + 1_800,  # 01:30 EDT, then 01:30 EST
                  evening: NY.fall_back + 20 * 3_600,  # 2025-11-03 02:00Z, still 2 November in New York
                  before_gap: NY.spring_forward - 1, after_gap: NY.spring_forward + 1_200}  # 01:59:59 EST, 03:20 EDT
        for uuid, at in sorted(stamps.items(), key=lambda kv: kv[1]):
            catalog.update_products(uuids=[uuid], at=at)

        def found(condition: dict) -> set[str]:
            return set(search_uuids(api, {"updated": [condition]})) & set(stamps)

        assert found({"operator": ">", "value": "2025-11-02 01:29:59"}) == (
            {first, second, evening, before_gap, after_gap} if fold == 0 else {second, evening, before_gap, after_gap})
        assert found({"operator": "BETWEEN", "value": ["2025-11-02 01:30:00", "2025-11-02 01:30:00"]}) == (
            {first} if fold == 0 else {second})
        assert found({"operator": "=", "value": "2025-11-02 12:00:00"}) == {first, second, evening}  # the local day
        assert found({"operator": "<", "value": "2025-11-02 00:59:59"}) == set()
        # 02:30 does not exist on 8 March: PHP pushes it forward (07:30Z), fold=1 reads it as 06:30Z
        assert found({"operator": ">", "value": "2026-03-08 02:30:00"}) == (
            set() if fold == 0 else {before_gap, after_gap})
        assert found({"operator": "<", "value": "2026-03-08 03:00:00"}) == {first, second, evening, before_gap}
        naive = api.server.catalog.items("attributes")[0]["updated"][:19]  # a structure filter without offset
        after = {"updated": [{"operator": ">", "value": naive}]}
        got, _ = api.walk("/api/rest/v1/attributes", search=json.dumps(after))
        cut = datetime.strptime(naive, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=ZoneInfo(NY.name), fold=fold).timestamp()
        assert sorted(a["code"] for a in got) == sorted(
            a["code"] for a in catalog.items("attributes") if datetime.fromisoformat(a["updated"]).timestamp() > cut)
    finally:
        api.close()
