"""dbt on an Enterprise catalog: the staging models of the editions' tables, and `product_select_values`
with reference entity values (labels from the records' `label` values) and table select cells (labels from
the column's options), matched case-insensitively on codes, checked against the sandbox's ground truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_entities, sync_picklists
from akeneo_pipeline_tests.fixtures.dbt_run import dbt_build
from akeneo_pipeline_tests.fixtures.pipeline import load_catalog, load_edition_streams
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]
ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z
REFERENCE_TYPES = ("akeneo_reference_entity", "akeneo_reference_entity_collection")


def expected(server: SandboxServer) -> set[tuple[Any, ...]]:
    catalog, ee = server.catalog, server.catalog.enterprise
    attributes = {a["code"]: a for a in catalog.items("attributes")}
    locales = [loc["code"] for loc in catalog.items("locales") if loc["enabled"]]
    labels = {entity: {r["code"].lower(): (r["code"], {v["locale"]: v["data"] for v in r["values"].get("label", [])})
                       for r in ee.records(entity)} for entity in ee.reference_entities}
    rows = set()
    for product in catalog.iter_products():
        for code, entries in product["values"].items():
            attribute = attributes.get(code)
            if attribute is None or attribute["type"] not in (*REFERENCE_TYPES, "pim_catalog_table"):
                continue
            for entry in entries:
                data = entry["data"]
                if attribute["type"] in REFERENCE_TYPES:
                    picked = [(None, c, labels[attribute["reference_data_name"]].get(c.lower()))
                              for c in (data if isinstance(data, list) else [data])]
                    found = [(col, known[0] if known else c, known[1] if known else {}) for col, c, known in picked]
                    source = "reference_entity_record"
                else:
                    selects = [c["code"] for c in attribute["table_configuration"] if c["data_type"] == "select"]
                    found = []
                    for row in data:
                        for column in selects:
                            if row.get(column) is None:
                                continue
                            options = {o["code"].lower(): o for o in ee.table_select_options(code, column)}
                            option = options.get(str(row[column]).lower())
                            found.append((column, option["code"] if option else row[column],
                                          option["labels"] if option else {}))
                    source = "table_select_option"
                for column, option_code, option_labels in found:
                    for locale in locales:
                        rows.add((str(product["uuid"]), code, entry["locale"], entry["scope"], source, column,
                                  option_code, locale, option_labels.get(locale)))
    return rows


def test_dbt_builds_the_edition_models_and_their_select_values(sandbox_factory: Factory, tmp_path: Path,
                                                               warehouse_url: str) -> None:
    server = sandbox_factory(products=40, seed=8, anchor=ANCHOR, edition="enterprise", reference_entity_records=20,
                             assets_per_family=5)
    url = warehouse_url
    with Store(tmp_path / "data", url) as store, AkeneoClient(settings_for(server)) as client:
        load_catalog(client, store, "night-1")
        load_edition_streams(client, store, "night-1")
        for kind in ("products", "product_models"):
            sync_entities(client, store, kind, "night-1")
        sync_picklists(client, store, "night-1")
    result = dbt_build(url, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "ERROR=0" in result.stdout and "WARN=0" in result.stdout
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            got = {tuple(r) for r in conn.execute(text(
                "select cast(product_uuid as varchar), attribute_code, locale_code, channel_code, source, "
                "table_column, option_code, label_locale_code, option_label from analytics.product_select_values "
                "where source <> 'attribute_option'"))}
            staged = {name: conn.execute(text(f"select count(*) from analytics_staging.stg_akeneo__{name}")).scalar_one()
                      for name in ("reference_entity_records", "assets", "table_select_options")}
    finally:
        engine.dispose()
    truth = expected(server)
    assert {r[4] for r in truth} == {"reference_entity_record", "table_select_option"}
    assert got == truth
    assert any(r[8] is not None for r in got if r[4] == "reference_entity_record")  # labels joined
    assert staged == {"reference_entity_records": 60, "assets": 10,
                      "table_select_options": sum(len(o) for c in server.catalog.enterprise.table_options.values()
                                                  for o in c.values())}
