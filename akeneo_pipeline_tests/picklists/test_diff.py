"""Snapshots and diffs of attribute options: every change type, across locales."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from typing import Any

import pytest

from akeneo_pipeline.picklists.diff import PicklistChange, diff
from akeneo_pipeline.picklists.snapshot import OptionSnapshot, PicklistInputError

HOSTILE = "it's \"red\"; DROP TABLE x; -- ünï 色 "


def attr(code: str, kind: str = "pim_catalog_simpleselect") -> dict:
    return {"code": code, "type": kind, "labels": {}}


def opt(attribute: str, code: str, sort_order: int | None = 1, **labels: str | None) -> dict:
    return {"code": code, "attribute": attribute, "sort_order": sort_order, "labels": labels}


def snap(attributes: list[dict], options: list[dict]) -> OptionSnapshot:
    return OptionSnapshot.from_akeneo(attributes, options)


BASE_ATTRS = [attr("color"), attr("size", "pim_catalog_multiselect"), attr("name", "pim_catalog_text")]
BASE_OPTS = [
    opt("color", "red", 1, en_US="Red", fr_FR="Rouge"),
    opt("color", "blue", 2, en_US="Blue", fr_FR="Bleu"),
    opt("size", "s", 1, en_US="S"),
]


def test_snapshot_keeps_only_select_attributes_and_every_spelling_of_reference_data() -> None:
    attributes = BASE_ATTRS + [
        attr("designer", "pim_reference_data_simpleselect"),
        attr("fabrics", "pim_catalog_reference_data_multi_select"),
        attr("maker", "pim_catalog_reference_data_simple_select"),
    ]
    snapshot = snap(attributes, BASE_OPTS)
    assert set(snapshot.attributes) == {"color", "size", "designer", "fabrics", "maker"}
    red = snapshot.option("color", "red")
    assert red is not None and red.labels == {"en_US": "Red", "fr_FR": "Rouge"}


def test_snapshot_rejects_options_it_cannot_place() -> None:
    with pytest.raises(PicklistInputError, match=r"'name'.*not a select attribute"):
        snap(BASE_ATTRS, [opt("name", "x")])
    with pytest.raises(PicklistInputError, match="appears twice"):
        snap(BASE_ATTRS, [opt("color", "red"), opt("color", "red")])
    with pytest.raises(PicklistInputError, match="not text in locale 'en_US'"):
        snap(BASE_ATTRS, [opt("color", "red", 1, en_US=3)])  # type: ignore[arg-type]
    red = snap(BASE_ATTRS, [opt("color", "red", 1, en_US=None)]).option("color", "red")
    assert red is not None and red.labels == {}
    with pytest.raises(PicklistInputError, match="sort_order"):
        snap(BASE_ATTRS, [opt("color", "red", "first")])  # type: ignore[arg-type]


def test_first_run_is_a_baseline_unless_asked() -> None:
    current = snap(BASE_ATTRS, BASE_OPTS)
    assert diff(None, current) == []
    emitted = diff(None, current, emit_baseline=True)
    assert [(c.change_type, c.attribute_code, c.option_code) for c in emitted] == [
        ("attribute_added", "color", None),
        ("added", "color", "blue"),
        ("added", "color", "red"),
        ("attribute_added", "size", None),
        ("added", "size", "s"),
    ]
    assert emitted[2].labels == {"en_US": "Red", "fr_FR": "Rouge"} and emitted[2].new_sort_order == 1


def test_nothing_changed_gives_nothing() -> None:
    assert diff(snap(BASE_ATTRS, BASE_OPTS), snap(BASE_ATTRS, list(reversed(BASE_OPTS)))) == []


def test_added_removed_and_readded() -> None:
    before = snap(BASE_ATTRS, BASE_OPTS)
    after = snap(BASE_ATTRS, BASE_OPTS[1:] + [opt("color", "green", 3, en_US="Green")])
    assert diff(before, after) == [
        PicklistChange("color", "green", "added", new_sort_order=3, labels={"en_US": "Green"}),
        PicklistChange("color", "red", "removed", old_sort_order=1, labels={"en_US": "Red", "fr_FR": "Rouge"}),
    ]
    readded = diff(after, before)
    assert [(c.option_code, c.change_type) for c in readded] == [("green", "removed"), ("red", "added")]


def test_relabeled_per_locale_counts_labels_added_and_removed() -> None:
    before = snap(BASE_ATTRS, [opt("color", "red", 1, en_US="Red", fr_FR="Rouge", de_DE="Rot")])
    after = snap(BASE_ATTRS, [opt("color", "red", 1, en_US="Red", fr_FR="Rouge vif", es_ES="Rojo", de_DE=None)])
    assert diff(before, after) == [
        PicklistChange("color", "red", "relabeled", locale="de_DE", old_label="Rot", new_label=None),
        PicklistChange("color", "red", "relabeled", locale="es_ES", old_label=None, new_label="Rojo"),
        PicklistChange("color", "red", "relabeled", locale="fr_FR", old_label="Rouge", new_label="Rouge vif"),
    ]


def test_reordered_and_relabeled_together() -> None:
    before = snap(BASE_ATTRS, [opt("color", "red", 1, en_US="Red")])
    after = snap(BASE_ATTRS, [opt("color", "red", 5, en_US="Crimson")])
    assert diff(before, after) == [
        PicklistChange("color", "red", "relabeled", locale="en_US", old_label="Red", new_label="Crimson"),
        PicklistChange("color", "red", "reordered", old_sort_order=1, new_sort_order=5),
    ]


def test_attribute_becoming_and_stopping_being_select() -> None:
    before = snap(BASE_ATTRS, BASE_OPTS)
    after = snap(
        [attr("size", "pim_catalog_multiselect"), attr("brand"), attr("color", "pim_catalog_text")],
        [BASE_OPTS[2], opt("brand", "acme", 1, en_US="ACME")],
    )
    assert [(c.change_type, c.attribute_code, c.option_code) for c in diff(before, after)] == [
        ("attribute_added", "brand", None),
        ("added", "brand", "acme"),
        ("removed", "color", "blue"),
        ("removed", "color", "red"),
        ("attribute_removed", "color", None),
    ]


# Diffs one pair of snapshots given as JSON items on stdin, in a fresh interpreter.
DIFF_IN_A_PROCESS = """
import json, sys
from dataclasses import asdict
from typing import Any
from akeneo_pipeline.picklists.diff import diff
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
before, after = (OptionSnapshot.from_akeneo(*pair) for pair in json.load(sys.stdin))
print(json.dumps([asdict(change) for change in diff(before, after)]))
"""


def diff_in_a_process(before: tuple[list[dict[str, Any]], list[dict[str, Any]]],
                      after: tuple[list[dict[str, Any]], list[dict[str, Any]]], hash_seed: int) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}  # set and dict iteration order varies with it
    done = subprocess.run([sys.executable, "-c", DIFF_IN_A_PROCESS], input=json.dumps([before, after]),
                          capture_output=True, text=True, env=env, timeout=60, check=True)
    changes: list[dict[str, Any]] = json.loads(done.stdout)
    return changes


def test_hostile_codes_survive_and_order_is_stable() -> None:
    """change_ids are handed out in diff order, so one pair of snapshots must give the same rows in the
    same order in every run: here in fresh processes with other hash seeds and the items in other orders,
    against the order written down once."""
    attributes = [attr(HOSTILE), attr("SELECT")]
    before = (attributes, [opt(HOSTILE, "a b"), opt("SELECT", "FROM")])
    after = (attributes, [opt(HOSTILE, "a b", 2), opt(HOSTILE, "A B"), opt("SELECT", "'; --")])
    expected = [
        PicklistChange("SELECT", "'; --", "added", new_sort_order=1, labels={}),
        PicklistChange("SELECT", "FROM", "removed", old_sort_order=1, labels={}),
        PicklistChange(HOSTILE, "A B", "added", new_sort_order=1, labels={}),
        PicklistChange(HOSTILE, "a b", "reordered", old_sort_order=1, new_sort_order=2),
    ]
    assert diff(snap(*before), snap(*after)) == expected
    shuffled = ([*reversed(attributes)], [*reversed(after[1])])
    runs = [diff_in_a_process(before, after, seed) for seed in (0, 1, 2)]
    runs.append(diff_in_a_process((before[0], [*reversed(before[1])]), shuffled, 3))
    assert all(run == [asdict(change) for change in expected] for run in runs)
