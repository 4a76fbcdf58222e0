"""Soft deletes from a key scan, resurrection, and cursors that move only with their data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from akeneo_pipeline.storage import InvalidItemError, StorageError, Store
from akeneo_pipeline_tests.fixtures.items import (
    VALUES_PER_PRODUCT,
    pages,
    product,
    product_model,
    product_uuid,
)


def _deleted(store: Store, table: str = "products", key: str = "uuid") -> set[str]:
    return {r[key] for r in store.read_table(table).to_pylist() if r["deleted_at"] is not None}


def test_rows_missing_from_a_key_scan_are_soft_deleted_and_come_back(store: Store) -> None:
    store.load_entities("products", pages([product(i) for i in range(6)], 4), run_id="a", next_cursor="c")
    scan = [[product_uuid(i) for i in range(3)], [product_uuid(3)]]
    later = datetime.now(UTC) + timedelta(seconds=1)
    result = store.mark_deleted("products", scan, run_id="b", scan_started_at=later)
    assert (result.deleted, result.resurrected, result.live) == (2, 0, 4)
    assert _deleted(store) == {product_uuid(4), product_uuid(5)}
    assert store.table_rows("products", live_only=True) == 4
    assert store.table_rows("product_values") == 6 * VALUES_PER_PRODUCT  # soft: values are kept

    again = store.mark_deleted("products", scan, run_id="c", scan_started_at=later)
    assert (again.deleted, again.resurrected) == (0, 0)

    back = store.mark_deleted("products", [[product_uuid(i) for i in range(5)]], run_id="d", scan_started_at=later)
    assert (back.deleted, back.resurrected) == (0, 1)
    assert _deleted(store) == {product_uuid(5)}

    store.load_entities("products", [[product(5, revision=1)]], run_id="e", next_cursor="c2")
    assert _deleted(store) == set()  # seen again by an incremental read


def test_rows_loaded_while_the_scan_ran_are_spared(store: Store) -> None:
    scan_started = datetime.now(UTC) - timedelta(seconds=1)
    store.load_entities("product_models", [[product_model("m1"), product_model("m2")]], run_id="a", next_cursor="c")
    result = store.mark_deleted("product_models", [["m1"]], run_id="b", scan_started_at=scan_started)
    assert result.deleted == 0 and _deleted(store, "product_models", "code") == set()
    result = store.mark_deleted("product_models", [["m1"]], run_id="b")  # default: the scan started now
    assert result.deleted == 1 and _deleted(store, "product_models", "code") == {"m2"}


def test_an_empty_key_scan_is_refused_unless_allowed(store: Store) -> None:
    store.load_entities("products", [[product(1)]], run_id="a", next_cursor="c")
    with pytest.raises(StorageError, match="no keys"):
        store.mark_deleted("products", [[], []], run_id="b")
    assert _deleted(store) == set()
    assert store.mark_deleted("products", [], run_id="b", allow_empty=True).deleted == 1


def test_cursor_stays_when_a_read_fails_midway(store: Store) -> None:
    store.load_entities("products", [], run_id="before", next_cursor="2026-01-01T00:00:00+00:00")

    def failing() -> Iterator[list[dict[str, Any]]]:
        yield [product(i) for i in range(4)]
        yield [product(i) for i in range(4, 8)]
        raise TimeoutError("Akeneo timed out on page 3")

    with pytest.raises(TimeoutError):
        store.load_entities("products", failing(), run_id="a", next_cursor="2026-02-01T00:00:00+00:00")
    assert store.get_cursor("products") == "2026-01-01T00:00:00+00:00"
    assert store.table_rows("products") == 8  # committed batches are kept; the rerun upserts them


def test_bad_item_keeps_its_batch_out_and_the_cursor_still(store: Store) -> None:
    bad = product(9) | {"created": "not a date"}
    with pytest.raises(InvalidItemError, match=product_uuid(9)):
        store.load_entities("products", [[product(1)], [bad]], run_id="a", next_cursor="c1")
    assert store.get_cursor("products") is None
    assert store.table_rows("products") == 0  # the bad item shared a batch with product 1: none of it landed
    with pytest.raises(InvalidItemError, match="page 0"):
        store.load_entities("products", [{"uuid": "x"}], run_id="a", next_cursor="c1")  # type: ignore[list-item]


def test_cursor_round_trip_and_unknown_streams(store: Store) -> None:
    assert store.get_cursor("products") is None
    store.load_entities("products", [], run_id="r", next_cursor="w1")
    store.load_entities("products", [], run_id="r", next_cursor="w2")
    assert store.get_cursor("products") == "w2" and store.table_rows("sync_state") == 1
    result = store.load_entities("products", [], run_id="r", next_cursor="w3")
    assert (result.cursor_before, result.cursor_after, result.rows) == ("w2", "w3", 0)
    result = store.load_entities("products", [], run_id="r", next_cursor=None)  # None leaves it
    assert (result.cursor_before, result.cursor_after, store.get_cursor("products")) == ("w3", "w3", "w3")
    with pytest.raises(ValueError, match="unknown entity stream"):
        store.load_entities("channels", [], run_id="r", next_cursor=None)
    with pytest.raises(ValueError, match="not a catalog stream"):
        store.load_catalog("products", [], run_id="r")
    with pytest.raises(ValueError, match="run_id"):
        store.load_catalog("channels", [], run_id="../escape")
