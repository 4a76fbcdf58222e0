"""Committing picklist changes in a real warehouse (DuckDB file, PostgreSQL server), feed and Parquet."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pyarrow.dataset as ds
import pytest

from akeneo_pipeline.picklists import PicklistCommit, commit_picklist_changes
from akeneo_pipeline.picklists.feed import change_schema, feed_dir, read_changes_after
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.storage import ALL_TABLES, Store

T0 = datetime(2026, 5, 17, 2, 0, tzinfo=UTC)
HOSTILE = "it's \"red\"; DROP TABLE akeneo.picklist_changes; -- 色"


class Catalog:
    """A mutable catalog in Akeneo's item shapes."""

    def __init__(self) -> None:
        self.attributes = {"color": "pim_catalog_simpleselect", "size": "pim_catalog_multiselect",
                           HOSTILE: "pim_catalog_simpleselect", "name": "pim_catalog_text"}
        self.options = {
            ("color", "red"): (1, {"en_US": "Red", "fr_FR": "Rouge"}),
            ("color", "blue"): (2, {"en_US": "Blue", "fr_FR": "Bleu"}),
            ("size", "s"): (1, {"en_US": "S"}),
            (HOSTILE, HOSTILE): (1, {"en_US": HOSTILE}),
        }

    def snapshot(self) -> OptionSnapshot:
        return OptionSnapshot.from_akeneo(
            [{"code": c, "type": t} for c, t in self.attributes.items()],
            [{"attribute": a, "code": o, "sort_order": s, "labels": labels}
             for (a, o), (s, labels) in self.options.items()],
        )


def run(store: Store, catalog: Catalog, run_id: str, day: int = 0, **kwargs: Any) -> PicklistCommit:
    return commit_picklist_changes(store, catalog.snapshot(), run_id, T0 + timedelta(days=day), **kwargs)


def current(store: Store) -> dict[tuple[str, str], dict]:
    rows = store.read_table("picklist_current").to_pylist()
    return {(r["attribute_code"], r["option_code"]): {**r, "labels": json.loads(r["labels"])} for r in rows}


def test_first_run_is_a_baseline_and_reruns_add_nothing(store: Store) -> None:
    catalog = Catalog()
    first = run(store, catalog, "run-1")
    assert first.baseline and first.changes == [] and first.feed_files == []
    assert first.option_count == 4 and first.attribute_count == 3
    state = current(store)
    assert set(state) == set(catalog.options) and all(row["active"] for row in state.values())
    assert state[(HOSTILE, HOSTILE)]["labels"] == {"en_US": HOSTILE}
    for run_id in ("run-2", "run-2", "run-1"):  # a new run, a retried run, a replayed old run
        again = run(store, catalog, run_id, day=1)
        assert not again.baseline and again.changes == []
    assert store.table_rows("picklist_changes") == 0
    assert not feed_dir(store.data_dir).exists()


def test_every_change_type_with_growing_change_ids(store: Store) -> None:
    catalog = Catalog()
    run(store, catalog, "run-1")
    catalog.options[("color", "green")] = (3, {"en_US": "Green"})
    catalog.options[("color", "red")] = (5, {"en_US": "Red", "fr_FR": "Rouge vif", "de_DE": "Rot"})
    del catalog.options[("color", "blue")]
    catalog.attributes["size"] = "pim_catalog_text"
    del catalog.options[("size", "s")]
    catalog.attributes["brand"] = "pim_reference_data_simpleselect"
    second = run(store, catalog, "run-2", day=1)
    found = [(r["change_id"], r["change_type"], r["attribute_code"], r["option_code"], r["locale"])
             for r in second.changes]
    assert found == [
        (1, "attribute_added", "brand", None, None),
        (2, "removed", "color", "blue", None),
        (3, "added", "color", "green", None),
        (4, "relabeled", "color", "red", "de_DE"),
        (5, "relabeled", "color", "red", "fr_FR"),
        (6, "reordered", "color", "red", None),
        (7, "removed", "size", "s", None),
        (8, "attribute_removed", "size", None, None),
    ]
    assert second.counts_by_type == {"added": 1, "removed": 2, "relabeled": 2, "reordered": 1,
                                     "attribute_added": 1, "attribute_removed": 1}
    assert run(store, catalog, "run-2", day=1).changes == []  # retried run

    catalog.options[("color", "blue")] = (2, {"en_US": "Blue"})  # re-added after removal
    third = run(store, catalog, "run-3", day=2)
    assert [(r["change_id"], r["change_type"], r["option_code"]) for r in third.changes] == [(9, "added", "blue")]

    state = current(store)
    assert state[("size", "s")]["active"] is False and state[("size", "s")]["removed_at"] is not None
    assert state[("color", "blue")]["active"] is True and state[("color", "blue")]["removed_at"] is None
    assert state[("color", "blue")]["last_change_id"] == 9
    assert state[("color", "blue")]["first_seen_at"] == T0  # kept through removal and re-adding
    assert state[("color", "blue")]["changed_at"] == T0 + timedelta(days=2)
    assert state[("color", "green")]["first_seen_at"] == T0 + timedelta(days=1)
    assert state[(HOSTILE, HOSTILE)]["changed_at"] == T0  # untouched rows are not rewritten
    attributes = {r["attribute_code"]: r for r in store.read_table("picklist_attributes").to_pylist()}
    assert attributes["size"]["active"] is False and attributes["size"]["removed_at"] == T0 + timedelta(days=1)
    assert attributes["brand"]["attribute_type"] == "pim_reference_data_simpleselect" and attributes["brand"]["active"]
    assert state[("color", "red")]["labels"] == {"en_US": "Red", "fr_FR": "Rouge vif", "de_DE": "Rot"}
    assert state[("color", "red")]["sort_order"] == 5

    stored = store.read_table("picklist_changes").to_pylist()
    assert [r["change_id"] for r in stored] == list(range(1, 10))
    assert (stored[4]["old_label"], stored[4]["new_label"]) == ("Rouge", "Rouge vif")
    assert (stored[5]["old_sort_order"], stored[5]["new_sort_order"]) == (1, 5)

    validator = jsonschema.Draft202012Validator(change_schema())
    fed = list(read_changes_after(store.data_dir, 0))
    for row in fed:
        validator.validate(row)
    assert [r["change_id"] for r in fed] == list(range(1, 10))
    assert [r["run_id"] for r in fed] == ["run-2"] * 8 + ["run-3"]
    assert len(list(feed_dir(store.data_dir).glob("picklist-changes-*.jsonl"))) == 2
    assert len(list(feed_dir(store.data_dir).glob("picklist-value-lists-*.jsonl"))) == 2

    parquet = ds.dataset(store.parquet_dir / "picklist_changes", format="parquet", partitioning="hive")
    table = parquet.to_table().sort_by("change_id")
    assert table.column("change_id").to_pylist() == list(range(1, 10))
    assert table.schema.field("labels").type == ALL_TABLES["picklist_changes"].schema.field("labels").type


def test_emit_baseline_and_hostile_codes_round_trip(store: Store) -> None:
    result = run(store, Catalog(), "run-1", emit_baseline=True)
    assert result.baseline
    assert result.counts_by_type["attribute_added"] == 3 and result.counts_by_type["added"] == 4
    fed = list(read_changes_after(store.data_dir, 0))
    hostile = [r for r in fed if r["option_code"] == HOSTILE]
    assert hostile and hostile[0]["attribute_code"] == HOSTILE and hostile[0]["labels"] == {"en_US": HOSTILE}


def test_feed_and_parquet_lost_after_commit_are_rewritten_next_run(store: Store) -> None:
    catalog = Catalog()
    run(store, catalog, "run-1")
    catalog.options[("color", "green")] = (3, {"en_US": "Green"})
    second = run(store, catalog, "run-2", day=1)
    written = second.feed_files[0].read_bytes()
    for path in [*second.feed_files, *second.parquet_files]:  # as if the run died right after its commit
        path.unlink()
    third = run(store, catalog, "run-3", day=2)
    assert third.changes == []
    assert [p.name for p in third.feed_files] == [second.feed_files[0].name]
    assert third.feed_files[0].read_bytes() == written
    assert len(third.parquet_files) == 1 and "run=run-2" in str(third.parquet_files[0])


def test_bad_run_id_changes_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match="run_id"):
        run(store, Catalog(), "../../etc")
    assert not feed_dir(store.data_dir).exists()
