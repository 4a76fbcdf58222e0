"""The picklist feed consumed end to end: options edited in the sandbox Akeneo (added, relabelled
in two locales, reordered, removed, re-added), the `nightly` job, the `salesforce/picklists`
asset deploying to the sandbox Salesforce, and the org read back equal to `picklist_current` for
every mapped attribute: order, inactive values, translations. A Salesforce run killed (SIGKILL)
between Salesforce's success and the bookkeeping write is rerun by the next night, which ends
equal and sends nothing twice after that; an attribute over 1,000 values is held back with its
reason while the others deploy."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from akeneo_pipeline.picklists import FeedEpochError, OptionSnapshot, commit_picklist_changes
from akeneo_pipeline.salesforce import JsonFilePositions, deploy_value_lists, parse_mapping
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import feed_value_list_span
from akeneo_pipeline_tests.fixtures.dagster import materializations, step_failures
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.salesforce import OrgReader, salesforce_settings_for

MAPPING = """\
master_locale: en_US
languages: {fr_FR: fr, de_DE: de}
missing_master_label: use_code
attributes:
  color: {field: Product2.Color__c, record_types: [Retail]}
  size: {field: Product2.Size__c, restricted: false}
  material: {global_value_set: Materials}
  brand: {field: Product2.Brand__c}
"""
FIELDS = {"color": "Product2.Color__c", "size": "Product2.Size__c"}
LANGUAGES = {"fr_FR": "fr", "de_DE": "de"}
SF = "salesforce/picklists"
T0 = datetime(2026, 5, 17, 2, 0, tzinfo=UTC)

# The child stands for a run killed at the worst moment: the real sync, whose bookkeeping write
# kills the process (SIGKILL: no cleanup, no exception handling) after Salesforce said Succeeded.
CHILD = """\
import os, signal
from akeneo_pipeline.salesforce import CallbackPositions
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import feed_value_list_span
from akeneo_pipeline.sync import WarehousePositions, sync_salesforce_picklists

store = Store.from_settings(StorageSettings())
def die(positions):
    os.kill(os.getpid(), signal.SIGKILL)
sync_salesforce_picklists(store, SalesforceSettings(), positions=CallbackPositions(WarehousePositions(store).read, die))
print("survived")
"""


def current_lists(store: Store, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    """picklist_current per attribute in list order (sort_order, options without one last, code)."""
    rows = [r for r in store.read_table("picklist_current").to_pylist() if r["attribute_code"] in codes]
    out: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for row in sorted(rows, key=lambda r: (r["sort_order"] is None, r["sort_order"] or 0, r["option_code"])):
        out[row["attribute_code"]].append({**row, "labels": json.loads(row["labels"])})
    return out


def assert_org_equals_current(reader: OrgReader, store: Store) -> None:
    lists = current_lists(store, ["color", "size", "material"])
    for code, options in lists.items():
        org = reader.global_value_set("Materials") if code == "material" else reader.field(FIELDS[code])
        assert [(v["fullName"], v["isActive"]) for v in org["values"]] == \
            [(o["option_code"], o["active"]) for o in options], code
        assert [v["label"] for v in org["values"]] == [o["labels"].get("en_US", o["option_code"]) for o in options]
        for locale, language in LANGUAGES.items():
            # Every label Akeneo has in a mapped locale is the value's translation. (A label removed in
            # Akeneo leaves its old translation in the org: the package has nothing to clear it with.)
            expected = {o["option_code"]: o["labels"][locale] for o in options if locale in o["labels"]}
            translated = org["translations"].get(language, {})
            assert {c: translated.get(c) for c in expected} == expected, (code, language)
    # The UI API (what a user's record page offers): the active values, in order.
    active = [o["option_code"] for o in lists["color"] if o["active"]]
    assert reader.picklist_values("Product2", "Color__c") == active
    assert reader.picklist_values("Product2", "Color__c", reader.record_type_id("Product2", "Retail")) == active


def test_option_edits_reach_salesforce_through_the_nightly_job(
    sandbox_factory: Callable[..., SandboxServer], salesforce: SandboxSalesforce, org_reader: OrgReader,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    akeneo = sandbox_factory(products=40, seed=3)
    data_dir = tmp_path / "data"
    point_env_at(monkeypatch, akeneo, data_dir)
    (tmp_path / "mapping.yaml").write_text(MAPPING)
    creds = salesforce.credentials
    for name, value in {"SALESFORCE_INSTANCE_URL": creds["instance_url"], "SALESFORCE_CLIENT_ID": creds["client_id"],
                        "SALESFORCE_CLIENT_SECRET": creds["client_secret"], "SALESFORCE_POLL_INTERVAL": "0.01",
                        "SALESFORCE_MAPPING_FILE": str(tmp_path / "mapping.yaml")}.items():
        monkeypatch.setenv(name, value)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    store = Store.from_settings(StorageSettings())

    def night(job: str = "nightly") -> dict[str, Any]:
        result = defs.resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
        assert result.success, step_failures(result)
        return materializations(result)[SF]

    baseline = night()  # no change recorded yet: the baseline's value sets go, every mapped attribute
    assert baseline["status"] == "deployed" and baseline["deployed"] == ["brand", "color", "material", "size"]
    assert baseline["last_change_id"] == 0
    assert_org_equals_current(org_reader, store)
    brand_before = org_reader.field("Product2.Brand__c")
    catalog = akeneo.catalog
    codes = {a: [o["code"] for o in catalog.structure["attribute_options"] if o["attribute"] == a]
             for a in ("color", "size", "material")}
    catalog.add_option("color", "teal", {"en_US": "Teal", "fr_FR": "Sarcelle", "de_DE": "Petrol"})
    catalog.relabel_option("color", codes["color"][1], "fr_FR", "Blanc cassé")
    catalog.relabel_option("color", codes["color"][1], "de_DE", "Altweiß")
    catalog.reorder_option("color", codes["color"][0], 90)
    catalog.remove_option("color", codes["color"][2])
    catalog.remove_option("material", codes["material"][-1])
    catalog.add_options("brand", {f"brand_{n:04d}": {"en_US": f"Brand {n}"} for n in range(1_000)})  # 1,008 values

    second = night()
    assert second["status"] == "deployed" and second["deployed"] == ["color", "material"]  # size: unchanged
    assert (second["values_added"], second["values_deactivated"], second["values_relabelled"]) == (1, 2, 2)
    assert second["held_back"] == 1 and "too_many_values" in second["held_back_list"]
    assert "brand" in second["held_back_list"] and len(second["deploy_ids"]) == 1
    assert org_reader.field("Product2.Brand__c") == brand_before  # nothing of it sent
    assert_org_equals_current(org_reader, store)
    assert [(v["fullName"], v["isActive"]) for v in org_reader.field("Product2.Color__c")["values"]
            if v["fullName"] == codes["color"][2]] == [(codes["color"][2], False)]

    # The removed option comes back: active again, in its place.
    catalog.add_option("color", codes["color"][2], {"en_US": "Back", "fr_FR": "Retour"}, sort_order=2)
    third = night("picklists_refresh")
    assert third["deployed"] == ["color"] and third["values_added"] == 1
    assert_org_equals_current(org_reader, store)
    fed = [json.loads(line) for path in sorted((data_dir / "picklist_feed").glob("picklist-changes-*.jsonl"))
           for line in path.read_text().splitlines()]
    assert [r["reactivated"] for r in fed if r["change_type"] == "added" and r["attribute_code"] == "color"] == \
        [False, True]

    # A run killed between Salesforce's success and the bookkeeping write ...
    catalog.relabel_option("size", codes["size"][0], "en_US", "Extra small")
    monkeypatch.setenv("SALESFORCE_MAPPING_FILE", str(tmp_path / "no-mapping-tonight.yaml"))
    assert night("picklists_refresh")["status"] == "no mapping file"  # the change is recorded, not deployed
    monkeypatch.setenv("SALESFORCE_MAPPING_FILE", str(tmp_path / "mapping.yaml"))
    applied = len(salesforce.applied_deploys)
    positions = store.salesforce_positions()
    child = subprocess.run([sys.executable, "-c", CHILD], env=dict(os.environ), capture_output=True, text=True,
                           timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert len(salesforce.applied_deploys) == applied + 1 and store.salesforce_positions() == positions
    after_kill = org_reader.field("Product2.Size__c")
    assert after_kill["values"][0]["label"] == "Extra small"

    # ... is rerun by the next night: the same list again, the org unchanged, the position written.
    rerun = night()
    assert rerun["deployed"] == ["size"] and len(salesforce.applied_deploys) == applied + 2
    assert org_reader.field("Product2.Size__c") == after_kill
    assert_org_equals_current(org_reader, store)
    quiet = night()
    # Nothing new: nothing sent; brand, still over the limit, is reported again.
    assert quiet["status"] == "held back" and quiet["deploy_ids"] == [] and quiet["attributes_deployed"] == 0
    assert len(salesforce.applied_deploys) == applied + 2 and "too_many_values" in quiet["held_back_list"]


def test_without_salesforce_settings_the_asset_writes_a_dry_run_package(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    akeneo = sandbox_factory(products=10, seed=3)
    point_env_at(monkeypatch, akeneo, tmp_path / "data")
    (tmp_path / "mapping.yaml").write_text(MAPPING)
    for name in ("SALESFORCE_INSTANCE_URL", "SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SALESFORCE_MAPPING_FILE", str(tmp_path / "mapping.yaml"))
    monkeypatch.setenv("SALESFORCE_PACKAGE_DIR", str(tmp_path / "packages"))
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("picklists_refresh")
    assert job.execute_in_process(instance=instance).success  # the baseline
    akeneo.catalog.add_option("color", "teal", {"en_US": "Teal"})
    result = job.execute_in_process(instance=instance)
    sf = materializations(result)[SF]
    assert sf["status"] == "dry run" and sf["deploy_ids"] == [] and sf["deployed"] == ["brand", "color", "material",
                                                                                          "size"]
    package = Path(sf["package"])
    assert package.is_file() and package.parent == tmp_path / "packages"
    report = json.loads(package.with_suffix(".json").read_text())
    assert "sf project deploy start" in report["deploy_with"]
    with Store.from_settings(StorageSettings()) as store:
        assert store.salesforce_positions() == []  # a dry run records nothing


def test_a_consumer_reading_only_the_feed_bootstraps_and_deploys(
    salesforce: SandboxSalesforce, org_reader: OrgReader, tmp_path: Path,
) -> None:
    """No warehouse access: the feed directory's value-list records are enough to deploy whole lists,
    removed options inactive, and to follow on from the stored (epoch, change_id)."""
    store = Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    attributes = [{"code": "color", "type": "pim_catalog_simpleselect"}]

    def commit(run_id: str, day: int, **options: tuple[int, dict[str, str]]) -> None:
        commit_picklist_changes(store, OptionSnapshot.from_akeneo(attributes, [
            {"attribute": "color", "code": code, "sort_order": order, "labels": labels}
            for code, (order, labels) in options.items()]), run_id, T0 + timedelta(days=day))

    red, blue = (1, {"en_US": "Red", "fr_FR": "Rouge"}), (2, {"en_US": "Blue", "fr_FR": "Bleu"})
    commit("run-1", 0, red=red, blue=blue)
    commit("run-2", 1, red=red)  # blue removed
    feed = tmp_path / "data"  # all the consumer sees
    epoch = json.loads(next((feed / "picklist_feed").glob("picklist-changes-*.jsonl")).read_text()
                       .splitlines()[0])["epoch"]
    first = feed_value_list_span(feed, 0, epoch=epoch)
    assert first is not None
    settings, mapping = salesforce_settings_for(salesforce), parse_mapping(MAPPING)
    positions = JsonFilePositions(tmp_path / "consumer" / "positions.json")
    deployed = deploy_value_lists(first, mapping, settings=settings, positions=positions)
    assert [a.attribute_code for a in deployed.deployed] == ["color"]
    color = org_reader.field("Product2.Color__c")
    assert [(v["fullName"], v["isActive"]) for v in color["values"]] == [("red", True), ("blue", False)]
    assert color["translations"]["fr"] == {"red": "Rouge", "blue": "Bleu"}

    commit("run-3", 2, red=red, blue=blue, green=(3, {"en_US": "Green"}))  # blue back, green new
    following = feed_value_list_span(feed, first.last_change_id, epoch=epoch)
    assert following is not None and following.first_change_id == first.last_change_id + 1
    deploy_value_lists(following, mapping, settings=settings, positions=positions)
    assert [(v["fullName"], v["isActive"]) for v in org_reader.field("Product2.Color__c")["values"]] == \
        [("red", True), ("blue", True), ("green", True)]
    assert feed_value_list_span(feed, following.last_change_id, epoch=epoch) is None  # caught up
    with pytest.raises(FeedEpochError):
        feed_value_list_span(feed, following.last_change_id, epoch="a-rebuilt-warehouse")
