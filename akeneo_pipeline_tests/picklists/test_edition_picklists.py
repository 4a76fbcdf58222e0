"""Enterprise picklists against the sandbox: a reference entity attribute's picklist is its entity's records
(labels from the records' `label` attribute), a table attribute's select column is a picklist of its own. A
record relabelled, added and removed, and a table column option added, each appear once in picklist_changes
with the right `source`, and in the feed; a warehouse from before `source` / `table_column` is migrated."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.picklists.feed import change_schema, read_changes_after
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_picklists
from akeneo_pipeline_tests.fixtures.pipeline import load_catalog, load_edition_streams
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from akeneo_pipeline_tests.fixtures.warehouse import execute, query

Factory = Callable[..., SandboxServer]
ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z


def night(server: SandboxServer, store: Store, run_id: str, *, full_refresh: bool = False) -> Any:
    with AkeneoClient(settings_for(server)) as client:
        load_catalog(client, store, run_id)
        load_edition_streams(client, store, run_id, full_refresh=full_refresh)
        return sync_picklists(client, store, run_id)


def current(store: Store) -> list[dict[str, Any]]:
    return store.read_table("picklist_current").to_pylist()


def test_records_and_table_select_options_are_picklists_with_their_source(sandbox_factory: Factory, store: Store,
                                                                           warehouse_url: str) -> None:
    server = sandbox_factory(products=30, seed=6, anchor=ANCHOR, edition="enterprise", reference_entity_records=25,
                             assets_per_family=5)
    ee = server.catalog.enterprise
    # a reference-data select (concepts_catalog-structure.md): Akeneo's REST API serves no values for it
    server.catalog.add_attribute("fabric", "pim_reference_data_simpleselect", reference_data_name="fabrics")
    baseline = night(server, store, "night-1")
    assert baseline.commit.baseline and not baseline.commit.changes
    rows = current(store)
    brands = {r["option_code"]: json.loads(r["labels"]) for r in rows if r["attribute_code"] == "brand_record"}
    truth = {r["code"]: {v["locale"]: v["data"] for v in r["values"].get("label", [])} for r in ee.records("brands")}
    assert brands == truth and {r["source"] for r in rows if r["attribute_code"] == "brand_record"} == {
        "reference_entity_record"}
    material = {r["option_code"] for r in rows
                if (r["attribute_code"], r["table_column"]) == ("composition", "material")}
    assert material == {o["code"] for o in ee.table_select_options("composition", "material")}
    assert {r["source"] for r in rows if r["table_column"] is not None} == {"table_select_option"}
    assert {r["source"] for r in rows if r["table_column"] is None and r["attribute_code"] not in (
        "brand_record", "material_records")} == {"attribute_option"}
    listed = {(a["attribute_code"], a["table_column"]): a for a in store.read_table("picklist_attributes").to_pylist()}
    assert {("brand_record", None), ("material_records", None), ("composition", "material"),
            ("composition", "origin"), ("care_instructions", "step")} <= set(listed)
    assert ("composition", None) not in listed  # the table attribute itself is no picklist
    fabric = listed[("fabric", None)]
    assert (fabric["source"], fabric["active"]) == ("attribute_option", True)
    assert "lists no values for reference data" in fabric["note"]
    assert all(a["note"] is None for a in listed.values() if a["attribute_code"] != "fabric")
    assert not [r for r in rows if r["attribute_code"] == "fabric"]

    catalog = server.catalog
    catalog.relabel_record("brands", "acme", "de_DE", "Akme GmbH")
    catalog.add_record("brands", "zephyr", labels={"en_US": "Zephyr"})
    catalog.add_table_option("composition", "material", "bamboo", {"en_US": "Bamboo"})
    gone = ee.records("materials")[3]["code"]
    catalog.remove_record("materials", gone)
    # The nightly read of the records is incremental: it sees the relabel and the new record, not the removal,
    # which only a full read shows (the weekly deletion scan, the next night here).
    second = night(server, store, "night-2")
    removal = night(server, store, "night-3", full_refresh=True)
    changes = [(c["attribute_code"], c["table_column"], c["option_code"], c["change_type"], c["source"])
               for c in second.commit.changes + removal.commit.changes]
    assert sorted(changes[:3]) == sorted([
        ("brand_record", None, "acme", "relabeled", "reference_entity_record"),
        ("brand_record", None, "zephyr", "added", "reference_entity_record"),
        ("composition", "material", "bamboo", "added", "table_select_option"),
    ])
    assert changes[3:] == [("material_records", None, gone, "removed", "reference_entity_record")]
    relabel = next(c for c in second.commit.changes if c["change_type"] == "relabeled")
    assert (relabel["locale"], relabel["new_label"]) == ("de_DE", "Akme GmbH")
    stored = query(warehouse_url, "SELECT attribute_code, table_column, option_code, change_type, source "
                   "FROM akeneo.picklist_changes ORDER BY change_id")
    assert [tuple(r.values()) for r in stored] == changes  # once each, in the table as in the run
    feed = list(read_changes_after(store.data_dir, 0))
    assert [(r["option_code"], r["source"], r["table_column"]) for r in feed] == [
        (c[2], c[4], c[1]) for c in changes]
    for row in feed:
        jsonschema.validate(row, change_schema())
    bamboo = [r for r in current(store) if r["option_code"] == "bamboo"]
    assert [(r["attribute_code"], r["table_column"], r["active"]) for r in bamboo] == [
        ("composition", "material", True)]
    assert not night(server, store, "night-4").commit.changes  # a quiet night adds nothing


OLD_TABLES = {
    "picklist_current": "attribute_code VARCHAR, option_code VARCHAR, sort_order BIGINT, labels JSON, active BOOLEAN, "
                        "first_seen_at TIMESTAMPTZ, changed_at TIMESTAMPTZ, removed_at TIMESTAMPTZ, "
                        "last_change_id BIGINT, PRIMARY KEY (attribute_code, option_code)",
    "picklist_attributes": "attribute_code VARCHAR, attribute_type VARCHAR, active BOOLEAN, first_seen_at TIMESTAMPTZ, "
                           "changed_at TIMESTAMPTZ, removed_at TIMESTAMPTZ, PRIMARY KEY (attribute_code)",
}


def test_a_warehouse_from_before_source_is_migrated(store: Store, warehouse_url: str) -> None:
    url = warehouse_url
    json_type = "JSON" if url.startswith("duckdb") else "jsonb"
    execute(url, "CREATE SCHEMA IF NOT EXISTS akeneo")
    for name, columns in OLD_TABLES.items():
        execute(url, f"CREATE TABLE akeneo.{name} ({columns.replace('JSON', json_type)})")
    execute(url, "INSERT INTO akeneo.picklist_current VALUES ('color', 'red', 1, '{\"en_US\": \"Red\"}', true, "
                 "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', NULL, 7)")
    execute(url, "INSERT INTO akeneo.picklist_attributes VALUES ('color', 'pim_catalog_simpleselect', true, "
                 "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', NULL)")
    store.ensure_tables()
    rows = current(store)
    assert [(r["attribute_code"], r["option_code"], r["source"], r["table_column"], r["last_change_id"])
            for r in rows] == [("color", "red", "attribute_option", None, 7)]
    attributes = store.read_table("picklist_attributes").to_pylist()
    assert [(a["attribute_code"], a["source"], a["note"]) for a in attributes] == [("color", "attribute_option", None)]
    # the rebuilt tables take two select columns with the same option code (no old primary key left)
    with store.picklist_transaction("two columns") as tables:
        tables.upsert_options([
            {"attribute_code": "composition", "table_column": column, "option_code": "fr", "sort_order": None,
             "labels": {}, "active": True, "source": "table_select_option", "last_change_id": None}
            for column in ("material", "origin")])
    assert sorted(r["table_column"] or "" for r in current(store)) == ["", "material", "origin"]
