"""The editions' streams against the sandbox: an Enterprise catalog's reference entities, Asset Manager and
table attributes land exactly (compared with the sandbox's ground truth, `catalog.enterprise`), an
incremental run reads only the records and assets that changed, and a Community PIM skips them."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

import pytest

from akeneo_pipeline.akeneo import REQUIRED_SCOPES, AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import EDITION_STREAMS, RECORD_STREAMS
from akeneo_pipeline.sync import sync_catalog, sync_records
from akeneo_pipeline_tests.fixtures.pipeline import load_edition_streams
from akeneo_pipeline_tests.fixtures.sandbox import app_connect, exchange, settings_for

Factory = Callable[..., SandboxServer]
ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z: generated stamps lie well before the runs' watermarks


def rows(store: Store, table: str) -> list[dict[str, Any]]:
    return store.read_table(table).to_pylist()


def load_all(server: SandboxServer, store: Store, run_id: str) -> dict[str, Any]:
    with AkeneoClient(settings_for(server)) as client:
        return load_edition_streams(client, store, run_id)


def stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def value_rows(items: list[dict[str, Any]]) -> int:
    return sum(len(entries) for item in items for entries in item["values"].values())


def test_an_enterprise_catalog_loads_every_new_table_exactly(sandbox_factory: Factory, store: Store) -> None:
    server = sandbox_factory(products=50, seed=3, anchor=ANCHOR, edition="enterprise", reference_entity_records=130,
                             assets_per_family=40)
    ee = server.catalog.enterprise
    results = load_all(server, store, "night-1")
    assert not [name for name, result in results.items() if result.skipped]

    entities = rows(store, "reference_entities")
    assert [(r["code"], json.loads(r["labels"]), r["image"]) for r in entities] == [
        (e["code"], e["labels"], e["image"]) for e in ee.reference_entity_items()]
    attributes = rows(store, "reference_entity_attributes")
    options = rows(store, "reference_entity_attribute_options")
    records = rows(store, "reference_entity_records")
    values = rows(store, "reference_entity_record_values")
    for entity in ee.reference_entities:
        truth = ee.reference_entity_attributes(entity)
        assert [(a["code"], a["type"], a["value_per_locale"]) for a in attributes
                if a["reference_entity_code"] == entity] == [(a["code"], a["type"], a["value_per_locale"])
                                                             for a in sorted(truth, key=lambda a: a["code"])]
        for attribute in (a["code"] for a in truth if a["type"] in ("single_option", "multiple_options")):
            assert sorted((o["code"], json.loads(o["labels"])) for o in options
                          if (o["reference_entity_code"], o["attribute_code"]) == (entity, attribute)) == sorted(
                (o["code"], o["labels"]) for o in ee.reference_entity_attribute_options(entity, attribute))
        served = ee.records(entity)
        assert len(served) == 130  # more than a page (100): search_after was followed
        assert [(r["code"], r["updated"]) for r in records if r["reference_entity_code"] == entity] == [
            (r["code"], stamp(r["updated"])) for r in served]
        mine = [v for v in values if v["reference_entity_code"] == entity]
        assert len(mine) == value_rows(served)
        first = served[0]
        assert sorted((v["attribute_code"], v["locale"], v["channel"], json.loads(v["data"])) for v in mine
                      if v["record_code"] == first["code"]) == sorted(
            (a, e["locale"], e["channel"], e["data"]) for a, entries in first["values"].items() for e in entries)
    # raw is the item as Akeneo served it: the entity code the client stamped is left out
    assert all(json.loads(r["raw"]).keys() - {"_links"} == {"code", "values", "created", "updated"} for r in records)

    families = rows(store, "asset_families")
    assert [(f["code"], f["attribute_as_main_media"]) for f in families] == [
        (f["code"], f["attribute_as_main_media"]) for f in ee.asset_family_items()]
    assets, asset_values = rows(store, "assets"), rows(store, "asset_values")
    family_attributes = rows(store, "asset_family_attributes")
    family_options = rows(store, "asset_family_attribute_options")
    for family in ee.asset_families:
        truth = ee.asset_family_attributes(family)
        assert sorted(a["code"] for a in family_attributes if a["asset_family_code"] == family) == sorted(
            a["code"] for a in truth)
        for attribute in (a["code"] for a in truth if a["type"] in ("single_option", "multiple_options")):
            assert sorted(o["code"] for o in family_options if (o["asset_family_code"], o["attribute_code"]) == (
                family, attribute)) == sorted(o["code"] for o in ee.asset_family_attribute_options(family, attribute))
        served = ee.assets(family)
        assert [(a["code"], a["updated"]) for a in assets if a["asset_family_code"] == family] == [
            (a["code"], stamp(a["updated"])) for a in served]
        assert len([v for v in asset_values if v["asset_family_code"] == family]) == value_rows(served)

    tables = [a for a in server.catalog.items("attributes") if a["type"] == "pim_catalog_table"]
    assert tables
    columns = rows(store, "table_attribute_columns")
    assert sorted((c["attribute_code"], c["position"], c["code"], c["data_type"]) for c in columns) == sorted(
        (a["code"], i, c["code"], c["data_type"]) for a in tables for i, c in enumerate(a["table_configuration"]))
    select_options = rows(store, "table_select_options")
    assert sorted((o["attribute_code"], o["column_code"], o["code"], json.loads(o["labels"]))
                  for o in select_options) == sorted(
        (attribute, column, o["code"], o["labels"]) for attribute, cols in ee.table_options.items()
        for column, opts in cols.items() for o in opts)


def test_an_incremental_run_reads_only_the_records_and_assets_that_changed(sandbox_factory: Factory,
                                                                          store: Store) -> None:
    server = sandbox_factory(products=20, seed=4, anchor=ANCHOR, edition="enterprise", reference_entity_records=60,
                             assets_per_family=30)
    load_all(server, store, "night-1")
    before = {t: store.table_rows(t) for t in ("reference_entity_records", "assets", "asset_values")}
    catalog = server.catalog
    edited = catalog.update_records("brands", n=3)
    catalog.add_record("materials", "hemp", labels={"en_US": "Hemp"})
    catalog.add_asset("packshots", "packshot_extra")
    log_start = len(server.request_log)
    with AkeneoClient(settings_for(server)) as client:
        records = sync_records(client, store, "reference_entity_records", "night-2")
        assets = sync_records(client, store, "assets", "night-2")
    assert records.updated_after is not None and records.parents_read_whole == 0
    assert records.load.rows == 4 and assets.load.rows == 1
    assert store.table_rows("reference_entity_records") == before["reference_entity_records"] + 1
    assert store.table_rows("assets") == before["assets"] + 1
    stored = {(r["reference_entity_code"], r["code"]) for r in rows(store, "reference_entity_records")}
    assert {("brands", code) for code in edited} | {("materials", "hemp")} <= stored
    # every record and asset list asked was filtered on `updated`, in ISO 8601 with an offset
    asked = [e for e in server.request_log[log_start:] if e.path.endswith(("/records", "/assets"))]
    assert asked and all("+00:00" in parse_qs(e.query)["search"][0] for e in asked)
    edited_values = [v for v in rows(store, "reference_entity_record_values")
                     if v["reference_entity_code"] == "brands" and v["record_code"] == edited[0]]
    truth = next(r for r in catalog.enterprise.records("brands") if r["code"] == edited[0])
    assert len(edited_values) == value_rows([truth])


@pytest.mark.parametrize("edition", ["community", "growth"])
def test_editions_without_the_routes_skip_those_streams(sandbox_factory: Factory, store: Store,
                                                         edition: str) -> None:
    server = sandbox_factory(products=20, seed=5, edition=edition)
    log_start = len(server.request_log)
    results = load_all(server, store, "night-1")
    skipped = {name for name, result in results.items() if result.skipped}
    assert skipped == {name for name, s in {**EDITION_STREAMS, **RECORD_STREAMS}.items() if s.edition_only}
    assert all("Community Edition" in results[name].skipped for name in skipped)
    assert not [e.path for e in server.request_log[log_start:]
                if "reference-entities" in e.path or "asset-families" in e.path]
    tables = store.table_rows("table_attribute_columns")
    assert (tables > 0) == (edition == "growth")  # Growth has table attributes (editions.py)


def test_a_reference_entity_removed_before_its_attributes_are_read_has_none(
        sandbox_factory: Factory, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    """The attribute list of a removed entity answers 404 ('Reference entity "x" does not exist.'); its
    get-one route confirms it is gone, so the read goes on without it, warned, as for attribute options."""
    server = sandbox_factory(products=20, seed=4, anchor=ANCHOR, edition="enterprise", reference_entity_records=5,
                             assets_per_family=5)
    with AkeneoClient(settings_for(server)) as client:
        sync_catalog(client, store, "reference_entities", "night-1")
        with server.catalog.lock:  # the sandbox has no admin route for it: an entity deleted in the UI
            del server.catalog.enterprise.reference_entities["designers"]
        with caplog.at_level(logging.WARNING, logger="akeneo_pipeline"):
            result = sync_catalog(client, store, "reference_entity_attributes", "night-1")
    codes = {r["reference_entity_code"] for r in rows(store, "reference_entity_attributes")}
    assert codes == {"brands", "materials"} and result.parents == 3
    assert [r.getMessage() for r in caplog.records if "designers" in r.getMessage()] == [
        "reference_entity 'designers' was removed from Akeneo while the run read it: its reference entity "
        "attributes are skipped (the next run reads the catalog without it)"]


def test_an_app_token_without_a_stream_scope_skips_that_stream(sandbox_factory: Factory, store: Store) -> None:
    """An Akeneo App approved for reference entities but not their records nor the Asset Manager: the
    structure is read, the rest is skipped with a note naming the scope, and nothing answers 403."""
    server = sandbox_factory(products=20, seed=4, anchor=ANCHOR, edition="enterprise", reference_entity_records=5,
                             assets_per_family=5)
    scopes = " ".join((*REQUIRED_SCOPES, "read_reference_entities"))
    _, query = app_connect(server, scope=scopes)
    answer = exchange(server, query["code"]).json()
    settings = AkeneoSettings(_env_file=None, base_url=server.base_url, access_token=answer["access_token"],
                              app_scopes=answer["scope"])
    log_start = len(server.request_log)
    with AkeneoClient(settings) as client:
        results = load_edition_streams(client, store, "night-1")
    skipped = {name: result.skipped for name, result in results.items() if result.skipped}
    assert set(skipped) == {"reference_entity_records", "asset_families", "asset_family_attributes",
                            "asset_family_attribute_options", "assets"}
    assert "read_reference_entity_records" in skipped["reference_entity_records"]
    assert "read_assets" in skipped["assets"] and "AKENEO_APP_SCOPES" in skipped["assets"]
    assert store.table_rows("reference_entity_attributes") > 0
    assert not [e for e in server.request_log[log_start:] if e.status == 403]
