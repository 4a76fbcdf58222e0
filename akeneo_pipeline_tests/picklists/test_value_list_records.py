"""Feed version 2 through real commits: reactivated options, the value-list records a feed-only
consumer bootstraps from, the feed's epoch, and a warehouse made before version 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from akeneo_pipeline.picklists import commit_picklist_changes
from akeneo_pipeline.picklists.feed import FeedAheadError, FeedEpochError, change_schema, read_changes_after
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.picklists.value_list_records import read_value_lists_after, value_list_schema
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.warehouse import execute, query

T0 = datetime(2026, 5, 17, 2, 0, tzinfo=UTC)
COLOR = "pim_catalog_simpleselect"


def snapshot(options: dict[str, tuple[int, dict[str, str]]]) -> OptionSnapshot:
    return OptionSnapshot.from_akeneo(
        [{"code": "color", "type": COLOR}, {"code": "size", "type": "pim_catalog_multiselect"}],
        [{"attribute": "color", "code": code, "sort_order": order, "labels": labels}
         for code, (order, labels) in options.items()] + [{"attribute": "size", "code": "s", "sort_order": 1,
                                                            "labels": {"en_US": "S"}}])


RED = (1, {"en_US": "Red", "fr_FR": "Rouge"})
BLUE = (2, {"en_US": "Blue"})


def test_a_removed_option_comes_back_reactivated_and_records_hold_whole_lists(store: Store) -> None:
    commit_picklist_changes(store, snapshot({"red": RED, "blue": BLUE}), "run-1", T0)
    removed = commit_picklist_changes(store, snapshot({"red": RED}), "run-2", T0 + timedelta(days=1))
    assert [r["change_type"] for r in removed.changes] == ["removed"]
    records = read_value_lists_after(store.data_dir, 0)
    assert [r["attribute_code"] for r in records] == ["color"]  # size was not touched
    assert records[0]["options"] == [
        {"code": "red", "sort_order": 1, "labels": {"en_US": "Red", "fr_FR": "Rouge"}, "active": True},
        {"code": "blue", "sort_order": 2, "labels": {"en_US": "Blue"}, "active": False},
    ]
    assert records[0]["attribute_type"] == COLOR and records[0]["as_of_change_id"] == 1

    new_fr = (1, {"en_US": "Red", "fr_FR": "Rouge vif"})
    back = commit_picklist_changes(store, snapshot({"red": new_fr, "blue": BLUE, "green": (3, {})}), "run-3",
                                   T0 + timedelta(days=2))
    by_option = {(r["change_type"], r["option_code"]): r for r in back.changes}
    assert by_option[("added", "blue")]["reactivated"] is True
    assert by_option[("added", "green")]["reactivated"] is False
    assert by_option[("relabeled", "red")]["labels"] == {"en_US": "Red", "fr_FR": "Rouge vif"}

    epoch = store.feed_epoch()
    lines = list(read_changes_after(store.data_dir, 0, epoch=epoch))
    validator = jsonschema.Draft202012Validator(change_schema())
    for line in lines:
        validator.validate(line)
    assert {line["epoch"] for line in lines} == {epoch}
    assert {line["attribute_type"] for line in lines} == {COLOR}
    latest = read_value_lists_after(store.data_dir, 1, epoch=epoch)
    for record in [*records, *latest]:
        jsonschema.Draft202012Validator(value_list_schema()).validate(record)
    assert [(o["code"], o["active"]) for o in latest[0]["options"]] == [("red", True), ("blue", True),
                                                                         ("green", True)]
    assert latest[0]["as_of_change_id"] == back.last_change_id and latest[0]["epoch"] == epoch


def test_the_epoch_stays_with_the_warehouse_and_a_rebuilt_one_is_told_apart(warehouse_url: str,
                                                                            tmp_path: Path) -> None:
    store = Store(tmp_path / "data", warehouse_url)
    commit_picklist_changes(store, snapshot({"red": RED, "blue": BLUE}), "run-1", T0)
    commit_picklist_changes(store, snapshot({"red": RED}), "run-2", T0 + timedelta(days=1))
    epoch = store.feed_epoch()
    assert Store(tmp_path / "data", warehouse_url).feed_epoch() == epoch
    assert len(list(read_changes_after(store.data_dir, 0, epoch=epoch))) == 1

    # A consumer that followed another warehouse's feed (ahead of this one, or of another epoch).
    with pytest.raises(FeedAheadError):
        list(read_changes_after(store.data_dir, 40, epoch=epoch))
    with pytest.raises(FeedEpochError):
        read_value_lists_after(store.data_dir, 0, epoch="the-old-warehouse")
    with pytest.raises(FeedEpochError):
        list(read_changes_after(store.data_dir, 1, epoch="the-old-warehouse"))


def test_a_warehouse_made_before_version_2_gains_the_new_columns(warehouse_url: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "data", warehouse_url)
    commit_picklist_changes(store, snapshot({"red": RED, "blue": BLUE}), "run-1", T0)
    for column in ("attribute_type", "auto_option_sorting", "reactivated"):
        execute(warehouse_url, f"ALTER TABLE akeneo.picklist_changes DROP COLUMN {column}")
    again = Store(tmp_path / "data", warehouse_url)  # a new run: its Store checks the tables once
    commit = commit_picklist_changes(again, snapshot({"red": RED}), "run-2", T0 + timedelta(days=1))
    stored = query(warehouse_url, "SELECT attribute_type, reactivated FROM akeneo.picklist_changes")
    assert stored == [{"attribute_type": COLOR, "reactivated": None}]
    assert json.loads(commit.feed_files[0].read_text().splitlines()[0])["attribute_type"] == COLOR


def test_a_warehouse_rebuilt_on_the_same_data_dir_retires_the_old_feed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    old = Store(data_dir, f"duckdb:///{tmp_path / 'old.duckdb'}")
    commit_picklist_changes(old, snapshot({"red": RED, "blue": BLUE}), "run-1", T0)
    commit_picklist_changes(old, snapshot({"red": RED}), "run-2", T0 + timedelta(days=1))
    commit_picklist_changes(old, snapshot({"red": RED, "blue": BLUE, "green": (3, {})}), "run-3",
                            T0 + timedelta(days=2))
    old_epoch = old.feed_epoch()
    position = max(r["change_id"] for r in read_changes_after(data_dir, 0, epoch=old_epoch))
    assert position == 3

    rebuilt = Store(data_dir, f"duckdb:///{tmp_path / 'rebuilt.duckdb'}")  # change_ids start again at 1
    commit_picklist_changes(rebuilt, snapshot({"red": RED, "blue": BLUE}), "run-4", T0 + timedelta(days=3))
    commit = commit_picklist_changes(rebuilt, snapshot({"red": RED}), "run-5", T0 + timedelta(days=4))
    assert commit.first_change_id == 1 and commit.feed_files  # written, not taken for already published
    new_epoch = rebuilt.feed_epoch()
    assert new_epoch != old_epoch
    assert [r["change_id"] for r in read_changes_after(data_dir, 0, epoch=new_epoch)] == [1]
    with pytest.raises(FeedEpochError):  # the old feed's consumer is told, not left reading nothing
        list(read_changes_after(data_dir, position, epoch=old_epoch))
    retired = data_dir / "picklist_feed" / f"retired-{old_epoch}"
    assert len(list(retired.glob("picklist-changes-*.jsonl"))) == 2


def test_attribute_added_rows_and_records_carry_akeneo_labels_and_auto_option_sorting(store: Store) -> None:
    commit_picklist_changes(store, snapshot({"red": RED}), "run-1", T0)
    store.load_catalog("attributes", [[
        {"code": "color", "type": COLOR, "group": "marketing", "labels": {"en_US": "Color"}},
        {"code": "finish", "type": COLOR, "group": "marketing", "labels": {"en_US": "Finish", "fr_FR": "Finition"},
         "auto_option_sorting": True},
    ]], "run-2")
    grown = OptionSnapshot.from_akeneo(
        [{"code": "color", "type": COLOR}, {"code": "size", "type": "pim_catalog_multiselect"},
         {"code": "finish", "type": COLOR}],
        [{"attribute": "color", "code": "red", "sort_order": 1, "labels": RED[1]},
         {"attribute": "size", "code": "s", "sort_order": 1, "labels": {"en_US": "S"}},
         {"attribute": "finish", "code": "matte", "sort_order": 1, "labels": {"en_US": "Matte"}}])
    commit = commit_picklist_changes(store, grown, "run-2", T0 + timedelta(days=1))
    [added] = [r for r in commit.changes if r["change_type"] == "attribute_added"]
    assert (added["attribute_code"], added["labels"], added["auto_option_sorting"]) == \
        ("finish", {"en_US": "Finish", "fr_FR": "Finition"}, True)
    [record] = read_value_lists_after(store.data_dir, 0)
    assert (record["attribute_code"], record["labels"], record["auto_option_sorting"]) == \
        ("finish", {"en_US": "Finish", "fr_FR": "Finition"}, True)
    assert record["options"] == [{"code": "matte", "sort_order": 1, "labels": {"en_US": "Matte"}, "active": True}]
