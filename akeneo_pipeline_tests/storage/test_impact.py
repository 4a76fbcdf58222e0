"""Impact counts and dangling values against the sandbox catalog's products, on DuckDB and PostgreSQL.

The sandbox catalog's ground truth is loaded with the storage Store directly
(no HTTP): this tests the SQL, and the expected numbers come from the same
items counted in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from akeneo_pipeline.picklists import commit_picklist_changes, read_option_snapshot
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.warehouse import dialect, execute

T0 = datetime(2026, 5, 17, 2, 0, tzinfo=UTC)


def load(store: Store, catalog: Catalog, run_id: str) -> None:
    for stream in ("attributes", "attribute_options"):
        store.load_catalog(stream, [catalog.items(stream)], run_id)
    products = list(catalog.iter_products())
    store.load_entities("products", [products], run_id, None)
    store.load_entities("product_models", [list(catalog.iter_product_models())], run_id, None)
    store.mark_deleted("products", [[p["uuid"] for p in products]], run_id)


def usage(catalog: Catalog) -> tuple[dict, dict]:
    """(attribute, option) -> set of product uuids, and -> set of product model codes, from ground truth."""
    selects = {a["code"] for a in catalog.items("attributes") if "select" in a["type"]}
    found: tuple[dict, dict] = (defaultdict(set), defaultdict(set))
    for index, (items, key) in enumerate(((catalog.iter_products(), "uuid"), (catalog.iter_product_models(), "code"))):
        for item in items:
            for attribute, values in item["values"].items():
                if attribute in selects:
                    for value in values:
                        codes = value["data"] if isinstance(value["data"], list) else [value["data"]]
                        for code in codes:  # Akeneo matches codes in any case: `Red` is the option `red`
                            found[index][(attribute, code.lower())].add(item[key])
    return found


def test_impact_counts_and_dangling_values_match_the_sandbox(store: Store, warehouse_url: str) -> None:
    catalog = Catalog(SandboxConfig(products=120, seed=7))
    load(store, catalog, "run-1")
    baseline = commit_picklist_changes(store, read_option_snapshot(store), "run-1", T0)
    assert baseline.baseline and baseline.option_count == len(catalog.items("attribute_options"))
    assert baseline.first_change_id is None  # a baseline records no change: no impact to ask about
    assert store.dangling_values() == []

    products, models = usage(catalog)
    used_simple = max((k for k in products if k[0] == "color" and k[1] != "red"), key=lambda k: len(products[k]))
    used_multi = max((k for k in products if k[0] == "material"), key=lambda k: len(products[k]))
    catalog.remove_option(*used_simple)
    catalog.remove_option(*used_multi)
    catalog.relabel_option("brand", "acme", "fr_FR", "ACME France")
    catalog.relabel_option("color", "red", "fr_FR", "Rouge vif")
    catalog.add_option("color", "ultraviolet", {"en_US": "Ultraviolet"})
    catalog.delete_products(10)
    # Product values in another case than the option's code (pim-community-dev issues 12100, PR 16751):
    # `Red` uses the option `red`; an upper-case copy of the removed option's code points at it too.
    live_products = list(catalog.iter_products())
    red_user, removed_user = live_products[0]["uuid"], live_products[1]["uuid"]
    catalog.override_values(red_user, {"color": [{"locale": None, "scope": None, "data": "Red"}]})
    catalog.override_values(removed_user, {"color": [{"locale": None, "scope": None, "data": used_simple[1].upper()}],
                                           "material": [{"locale": None, "scope": None, "data": ["Wool", "COTTON"]}]})
    load(store, catalog, "run-2")
    products, models = usage(catalog)  # live products only, after the deletions
    assert red_user in products[("color", "red")] and removed_user in products[used_simple]
    assert store.table_rows("products") - store.table_rows("products", live_only=True) == 10
    live = live_products[2]["uuid"]
    json_type = "JSON" if dialect(warehouse_url) == "duckdb" else "JSONB"
    execute(
        warehouse_url,
        "INSERT INTO akeneo.product_values (product_uuid, attribute_code, locale, scope, data) "
        f"VALUES (:uuid, 'color', 'en_US', 'print', CAST(:data AS {json_type}))",
        {"uuid": live, "data": '"Navy_Blue"'},  # no option of any case: dangling
    )

    result = commit_picklist_changes(store, read_option_snapshot(store), "run-2", T0 + timedelta(days=1))
    assert result.counts_by_type["removed"] == 2 and result.counts_by_type["added"] == 1
    assert result.counts_by_type["relabeled"] == 2
    assert result.first_change_id is not None and result.last_change_id is not None
    # Counted and kept per change id (picklist_impact does this), for a consumer that reads them runs later.
    impact = store.record_change_impact(result.first_change_id, result.last_change_id)
    assert [row["change_id"] for row in impact] == [row["change_id"] for row in result.changes]
    for row in impact:
        key = (row["attribute_code"], row["option_code"])
        assert (row["product_count"], row["product_model_count"]) == (len(products[key]), len(models[key])), key
    assert store.record_change_impact(result.first_change_id, result.last_change_id) == impact  # counted again
    kept = store.change_impact_after(result.first_change_id - 1)
    assert [{k: r[k] for k in impact[0]} for r in kept] == impact and all(r["counted_at"] for r in kept)
    assert store.change_impact_after(result.last_change_id) == []
    by_key = {(r["attribute_code"], r["option_code"]): r for r in impact}
    assert by_key[used_simple]["product_count"] > 0 and by_key[("color", "ultraviolet")]["product_count"] == 0
    assert red_user in products[("color", "red")] and by_key[("color", "red")]["product_count"] > 0

    dangling = store.dangling_values()
    expected = sorted(
        (kind, owner, key[0], key[1])
        for kind, owners_by_key in (("product", products), ("product_model", models))
        for key in (used_simple, used_multi)
        for owner in owners_by_key.get(key, ())
    )
    got = sorted((d["owner_kind"], d["owner"], d["attribute_code"], d["option_code"].lower()) for d in dangling)
    assert got == sorted(expected + [("product", live, "color", "navy_blue")])
    spelled = {(d["owner"], d["attribute_code"]): d["option_code"] for d in dangling if d["owner"] == removed_user}
    assert spelled[(removed_user, "color")] == used_simple[1].upper()  # the value's own spelling
    assert not any(d["owner"] == red_user and d["attribute_code"] == "color" for d in dangling)
    assert len(store.dangling_values(limit=3)) == 3
