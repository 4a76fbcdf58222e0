"""The change feed: files validated against the shipped JSON Schema, and the consumer convention."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from akeneo_pipeline.picklists.diff import diff
from akeneo_pipeline.picklists.feed import (
    FeedAheadError,
    FeedEpochError,
    FeedGapError,
    change_schema,
    feed_dir,
    feed_line,
    last_written_change_id,
    read_changes_after,
    write_feed_file,
)
from akeneo_pipeline.picklists.rows import number_changes
from akeneo_pipeline.picklists.snapshot import OptionSnapshot

T0 = datetime(2026, 5, 17, 15, 19, 32, tzinfo=UTC)
HOSTILE = "l'\"option\" ; DROP TABLE x -- 色"


EPOCH = "4b6c1f6e-2f0d-4d55-9a51-0c1e7e1f5a10"
ATTRIBUTES = [{"code": "color", "type": "pim_catalog_simpleselect"}, {"code": "old", "type": "pim_catalog_multiselect"}]
BEFORE = OptionSnapshot.from_akeneo(ATTRIBUTES, [
    {"attribute": "color", "code": "red", "sort_order": 1, "labels": {"en_US": "Red", "fr_FR": "Rouge"}},
    {"attribute": "color", "code": "gone", "sort_order": 2, "labels": {"en_US": "Gone"}},
    {"attribute": "old", "code": "x", "sort_order": None, "labels": {}},
])
AFTER = OptionSnapshot.from_akeneo(
    [ATTRIBUTES[0], {"code": "new", "type": "pim_reference_data_simpleselect"}],
    [
        {"attribute": "color", "code": "red", "sort_order": 3, "labels": {"en_US": "Red", "de_DE": "Rot"}},
        {"attribute": "color", "code": HOSTILE, "sort_order": 4, "labels": {"fr_FR": "É"}},
    ],
)


def numbered(changes: list, first: int, run_id: str, at: datetime) -> list[dict]:
    """Rows as the commit numbers them: `HOSTILE` was removed once before, `new` has labels in Akeneo."""
    return number_changes(changes, first, run_id, at, previous=BEFORE, current=AFTER,
                          removed_before={("color", HOSTILE)},
                          attribute_details={"new": {"labels": {"en_US": "New"}, "auto_option_sorting": True}})


def every_change_type() -> list:
    changes = diff(BEFORE, AFTER)
    assert {c.change_type for c in changes} == {
        "added", "removed", "relabeled", "reordered", "attribute_added", "attribute_removed"
    }
    return changes


def test_feed_lines_validate_against_the_schema(tmp_path: Path) -> None:
    rows = numbered(every_change_type(), 1, "run-1", T0)
    path = write_feed_file(tmp_path, rows, epoch=EPOCH)
    assert path.name == "picklist-changes-00000000000000000001-00000000000000000008.jsonl"
    validator = jsonschema.Draft202012Validator(change_schema(), format_checker=jsonschema.FormatChecker())
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert [line["change_id"] for line in lines] == list(range(1, 9))
    for line in lines:
        validator.validate(line)
        assert datetime.fromisoformat(line["detected_at"]) == T0  # format is not enforced without extras
    assert lines[0]["detected_at"] == "2026-05-17T15:19:32+00:00"
    assert any(line["option_code"] == HOSTILE for line in lines)


def test_schema_rejects_what_a_consumer_could_not_apply() -> None:
    validator = jsonschema.Draft202012Validator(change_schema())
    good = feed_line(numbered(every_change_type(), 1, "run-1", T0)[0], EPOCH)
    good = {**good, "detected_at": good["detected_at"].isoformat()}
    validator.validate(good)
    for broken in (
        {**good, "change_type": "renamed"},
        {**good, "change_id": 0},
        {k: v for k, v in good.items() if k != "run_id"},
        {**good, "change_type": "relabeled", "locale": None},
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "epoch"},
        {**good, "source": "somewhere"},
        {**good, "change_type": "added", "reactivated": None},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)


def test_consumer_reads_what_follows_its_last_change_id(tmp_path: Path) -> None:
    changes = every_change_type()
    write_feed_file(tmp_path, numbered(changes[:4], 1, "run-1", T0), epoch=EPOCH)
    write_feed_file(tmp_path, numbered(changes[4:], 5, "run-2", T0 + timedelta(days=1)), epoch=EPOCH)
    assert last_written_change_id(tmp_path) == 8
    assert [r["change_id"] for r in read_changes_after(tmp_path, 0)] == list(range(1, 9))
    assert [r["change_id"] for r in read_changes_after(tmp_path, 2)] == list(range(3, 9))
    assert [r["run_id"] for r in read_changes_after(tmp_path, 4)] == ["run-2"] * 4
    assert list(read_changes_after(tmp_path, 8)) == []
    assert not [p for p in feed_dir(tmp_path).iterdir() if p.name.startswith(".")]


def test_rewriting_a_file_is_byte_identical(tmp_path: Path) -> None:
    rows = numbered(every_change_type(), 1, "run-1", T0)
    first = write_feed_file(tmp_path, rows, epoch=EPOCH).read_bytes()
    assert write_feed_file(tmp_path, rows, epoch=EPOCH).read_bytes() == first
    assert len(list(feed_dir(tmp_path).iterdir())) == 1


def test_missing_files_raise_instead_of_skipping_changes(tmp_path: Path) -> None:
    changes = every_change_type()
    write_feed_file(tmp_path, numbered(changes[4:], 5, "run-2", T0), epoch=EPOCH)
    assert [r["change_id"] for r in read_changes_after(tmp_path, 4)] == list(range(5, 9))
    with pytest.raises(FeedGapError, match="jumps from change_id 2 to 5"):
        list(read_changes_after(tmp_path, 2))


def test_bad_rows_and_run_ids_are_refused(tmp_path: Path) -> None:
    rows = numbered(every_change_type(), 1, "run-1", T0)
    with pytest.raises(ValueError, match="consecutive"):
        write_feed_file(tmp_path, [rows[0], rows[2]], epoch=EPOCH)
    with pytest.raises(ValueError, match="run_id"):
        numbered(every_change_type(), 1, "../etc", T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        numbered(every_change_type(), 1, "run-1", T0.replace(tzinfo=None))
    assert not feed_dir(tmp_path).exists() or not list(feed_dir(tmp_path).iterdir())


def test_version_2_lines_carry_type_source_labels_and_reactivation(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in
             write_feed_file(tmp_path, numbered(every_change_type(), 1, "run-1", T0), epoch=EPOCH)
             .read_text("utf-8").splitlines()]
    by = {(line["change_type"], line["attribute_code"], line["option_code"], line["locale"]): line for line in lines}
    assert {line["feed_version"] for line in lines} == {2}
    assert {line["epoch"] for line in lines} == {EPOCH}
    assert {line["source"] for line in lines} == {"attribute_option"}
    assert by[("attribute_added", "new", None, None)]["attribute_type"] == "pim_reference_data_simpleselect"
    assert by[("attribute_added", "new", None, None)]["labels"] == {"en_US": "New"}
    assert by[("attribute_added", "new", None, None)]["auto_option_sorting"] is True
    assert by[("attribute_removed", "old", None, None)]["attribute_type"] == "pim_catalog_multiselect"
    relabeled = by[("relabeled", "color", "red", "de_DE")]
    assert relabeled["labels"] == {"en_US": "Red", "de_DE": "Rot"} and relabeled["new_label"] == "Rot"
    assert by[("added", "color", HOSTILE, None)]["reactivated"] is True
    assert by[("reordered", "color", "red", None)]["reactivated"] is None


def test_a_source_column_is_kept_when_the_row_has_one(tmp_path: Path) -> None:
    row = {**numbered(every_change_type(), 1, "run-1", T0)[0], "source": "reference_entity_record"}
    assert feed_line(row, EPOCH)["source"] == "reference_entity_record"


def test_a_position_of_another_epoch_or_beyond_the_feed_raises(tmp_path: Path) -> None:
    changes = every_change_type()
    write_feed_file(tmp_path, numbered(changes, 1, "run-1", T0), epoch=EPOCH)
    assert len(list(read_changes_after(tmp_path, 3, epoch=EPOCH))) == 5
    assert list(read_changes_after(tmp_path, 8, epoch=EPOCH)) == []  # caught up: an empty read is right
    with pytest.raises(FeedEpochError, match="warehouse was rebuilt"):
        list(read_changes_after(tmp_path, 3, epoch="another-epoch"))
    with pytest.raises(FeedEpochError):
        list(read_changes_after(tmp_path, 8, epoch="another-epoch"))
    with pytest.raises(FeedAheadError, match="ends at change_id 8, but the consumer's position is 12"):
        list(read_changes_after(tmp_path, 12, epoch=EPOCH))
    with pytest.raises(FeedGapError):  # both are gaps to a consumer catching FeedGapError
        list(read_changes_after(tmp_path / "empty", 3))
