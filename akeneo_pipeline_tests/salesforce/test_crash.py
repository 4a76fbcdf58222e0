"""A run that dies between Salesforce's "Succeeded" and the bookkeeping write: the org was
updated, no position was recorded. The rerun deploys the same whole lists again, the org ends
exactly as after the first deploy (nothing doubled, nothing lost), and a third run sends
nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from akeneo_pipeline.salesforce import (
    CallbackPositions,
    JsonFilePositions,
    ValueListSpan,
    deploy_value_lists,
    parse_mapping,
)
from akeneo_pipeline.salesforce.bookkeeping import PositionsFileError
from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce
from akeneo_pipeline_tests.fixtures.salesforce import OrgReader, option, salesforce_settings_for, span, value_list

MAPPING_TEXT = """\
master_locale: en_US
languages: {fr_FR: fr}
attributes:
  color: {field: Product2.Color__c, record_types: [Retail]}
  size: {global_value_set: Sizes}
"""

# The child runs the real deploy_value_lists; its bookkeeping store kills the process (SIGKILL,
# no cleanup, no exception handling) at the moment it would write the positions.
CHILD = """\
import json, os, signal, sys
from pydantic import SecretStr
from akeneo_pipeline.salesforce import CallbackPositions, ValueListSpan, deploy_value_lists, parse_mapping
from akeneo_pipeline.salesforce.settings import SalesforceSettings

data = json.load(sys.stdin)
settings = SalesforceSettings(_env_file=None, instance_url=data["instance_url"], client_id=data["client_id"],
                              client_secret=SecretStr(data["client_secret"]), poll_interval=0.01)

def die(positions):
    os.kill(os.getpid(), signal.SIGKILL)

deploy_value_lists(ValueListSpan.model_validate(data["span"]), parse_mapping(data["mapping"]), settings=settings,
                   positions=CallbackPositions(lambda: {}, die))
print("survived")
"""


def the_span() -> ValueListSpan:
    return span(3, 17,
                value_list("color", option("red", 1, en_US="Red", fr_FR="Rouge"), option("blue", 2, en_US="Blue"),
                           option("green", 3, active=False, en_US="Green", fr_FR="Vert")),
                value_list("size", option("s", 1, en_US="S"), option("m", 2, en_US="M", fr_FR="M")))


def org_state(reader: OrgReader) -> dict:
    return {"color": reader.field("Product2.Color__c"), "size": reader.global_value_set("Sizes"),
            "retail": reader.picklist_values("Product2", "Color__c", reader.record_type_id("Product2", "Retail"))}


def test_a_run_killed_before_bookkeeping_is_rerun_harmlessly(salesforce: SandboxSalesforce, org_reader: OrgReader,
                                                             tmp_path: Path) -> None:
    payload = {**salesforce.credentials, "span": the_span().model_dump(mode="json"), "mapping": MAPPING_TEXT}
    child = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(payload), capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "survived" not in child.stdout
    # Salesforce finished the deploy; nothing remembers it.
    assert len(salesforce.applied_deploys) == 1
    after_first = org_state(org_reader)
    assert [(v["fullName"], v["isActive"]) for v in after_first["color"]["values"]] == \
        [("red", True), ("blue", True), ("green", False)]

    positions = JsonFilePositions(tmp_path / "positions.json")
    settings, mapping = salesforce_settings_for(salesforce), parse_mapping(MAPPING_TEXT)
    rerun = deploy_value_lists(the_span(), mapping, settings=settings, positions=positions)
    assert [a.attribute_code for a in rerun.deployed] == ["color", "size"] and len(rerun.deploy_ids) == 1
    assert len(salesforce.applied_deploys) == 2
    assert org_state(org_reader) == after_first  # the same package again: equal, no value doubled
    assert {k: p.change_id for k, p in positions.read().items()} == \
        {("color", "field:Product2.Color__c"): 17, ("size", "global_value_set:Sizes"): 17}

    third = deploy_value_lists(the_span(), mapping, settings=settings, positions=positions)
    assert third.deploy_ids == () and third.up_to_date == ("color", "size")
    assert len(salesforce.applied_deploys) == 2


def test_a_failing_bookkeeping_write_fails_the_run_and_the_rerun_ends_equal(
        salesforce: SandboxSalesforce, org_reader: OrgReader, tmp_path: Path) -> None:
    def disk_full(positions: object) -> None:
        raise OSError(28, "No space left on device")

    settings, mapping = salesforce_settings_for(salesforce), parse_mapping(MAPPING_TEXT)
    with pytest.raises(OSError, match="No space left"):
        deploy_value_lists(the_span(), mapping, settings=settings, positions=CallbackPositions(dict, disk_full))
    assert len(salesforce.applied_deploys) == 1
    after_first = org_state(org_reader)
    positions = JsonFilePositions(tmp_path / "positions.json")
    rerun = deploy_value_lists(the_span(), mapping, settings=settings, positions=positions)
    assert len(rerun.deploy_ids) == 1 and len(salesforce.applied_deploys) == 2
    assert org_state(org_reader) == after_first
    assert set(positions.read()) == {("color", "field:Product2.Color__c"), ("size", "global_value_set:Sizes")}


def test_an_unreadable_positions_file_stops_before_deploying(salesforce: SandboxSalesforce, tmp_path: Path) -> None:
    path = tmp_path / "positions.json"
    path.write_text("{not json")
    with pytest.raises(PositionsFileError, match=r"positions\.json is unreadable"):
        deploy_value_lists(the_span(), parse_mapping(MAPPING_TEXT), settings=salesforce_settings_for(salesforce),
                           positions=JsonFilePositions(path))
    assert salesforce.requests == []
