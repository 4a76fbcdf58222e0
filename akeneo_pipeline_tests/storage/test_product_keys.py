"""The products table keyed by identifier (Akeneo 6) and re-keyed by uuid when the PIM is
upgraded to 7: at no commit does a product have two live rows, and none is lost."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from akeneo_pipeline.storage import InvalidItemError, StorageError, Store
from akeneo_pipeline.storage.product_keys import identifier_uuid
from akeneo_pipeline_tests.fixtures.items import VALUES_PER_PRODUCT, pages, product, product_uuid, product_v6

N = 10


def live(store: Store) -> list[dict]:
    return [r for r in store.read_table("products").to_pylist() if r["deleted_at"] is None]


def assert_once_each(store: Store, identifiers: set[str]) -> None:
    """Every product has exactly one live row, whichever key it has now."""
    rows = live(store)
    assert Counter(r["identifier"] for r in rows) == Counter(identifiers)
    owners = Counter(r["product_uuid"] for r in store.read_table("product_values").to_pylist())
    assert set(owners) <= {r["uuid"] for r in store.read_table("products").to_pylist()}


def load_v6(store: Store, items: list[dict], run_id: str = "six") -> None:
    store.load_entities("products", pages(items, 4), run_id=run_id, next_cursor="c6", key_field="identifier")


def test_products_from_akeneo_6_are_keyed_by_a_uuid_of_their_identifier(store: Store) -> None:
    assert store.key_field("products") is None
    load_v6(store, [product_v6(i) for i in range(N)] + [product_v6(3, revision=1)])
    rows = {r["identifier"]: r for r in store.read_table("products").to_pylist()}
    assert set(rows) == {f"sku-{i}" for i in range(N)}
    assert all(r["uuid"] == identifier_uuid(i) for i, r in rows.items())
    assert store.key_field("products") == "identifier"
    # Akeneo 6 leaves the identifier out of `values`; the revised copy won (newest `updated`).
    assert store.table_rows("product_values") == (N - 1) * (VALUES_PER_PRODUCT - 1) + VALUES_PER_PRODUCT - 2
    load_v6(store, [product_v6(i) for i in range(N)], run_id="six-again")  # idempotent
    assert store.table_rows("products") == N
    assert store.needs_rekey("products", "uuid") and not store.needs_rekey("products", "identifier")


def test_an_akeneo_6_item_without_identifier_is_refused_by_name(store: Store) -> None:
    broken = product_v6(1)
    broken.pop("identifier")
    with pytest.raises(InvalidItemError, match="identifier"):
        load_v6(store, [product_v6(0), broken])
    assert store.table_rows("products") == 0 and store.get_cursor("products") is None


def test_a_key_scan_of_identifiers_soft_deletes_what_akeneo_6_no_longer_lists(store: Store) -> None:
    load_v6(store, [product_v6(i) for i in range(N)])
    result = store.mark_deleted("products", [[f"sku-{i}" for i in range(N) if i != 4]], run_id="scan",
                                key_field="identifier")
    assert (result.deleted, result.live) == (1, N - 1)
    assert {r["identifier"] for r in live(store)} == {f"sku-{i}" for i in range(N) if i != 4}


def test_the_upgrade_to_7_rekeys_every_product_once_and_loses_none(store: Store) -> None:
    load_v6(store, [product_v6(i) for i in range(N)])
    # Between the last 6.x run and the upgrade: product 7 deleted, product 8 renamed (a new identifier).
    upgraded = [product(i) for i in range(N) if i not in (7, 8)]
    renamed = product(8)
    renamed["values"]["sku"][0]["data"] = "sku-8-renamed"
    with pytest.raises(ValueError, match="full_read"):
        store.load_entities("products", pages(upgraded, 4), run_id="seven", next_cursor="c7")
    result = store.load_entities("products", pages([*upgraded, renamed], 4), run_id="seven", next_cursor="c7",
                                    identifier_attribute="sku", full_read=True)
    assert result.rekeyed and result.rekey_soft_deleted == 2  # sku-7 (gone) and sku-8 (renamed)
    rows = live(store)
    assert {r["uuid"] for r in rows} == {product_uuid(i) for i in range(N) if i != 7}
    assert {r["identifier"] for r in rows} == {f"sku-{i}" for i in range(N) if i not in (7, 8)} | {"sku-8-renamed"}
    assert store.key_field("products") == "uuid" and store.get_cursor("products") == "c7"
    values = Counter(r["product_uuid"] for r in store.read_table("product_values").to_pylist())
    assert {k for k in values if k in {identifier_uuid(f"sku-{i}") for i in range(N)}} == {
        identifier_uuid("sku-7"), identifier_uuid("sku-8")}  # soft-deleted rows keep their values
    assert all(values[product_uuid(i)] == VALUES_PER_PRODUCT for i in range(N) if i != 7)
    # Later runs are plain incremental uuid loads again.
    assert not store.needs_rekey("products", "uuid")
    store.load_entities("products", [[product(2, revision=1)]], run_id="later", next_cursor="c8")
    assert len(live(store)) == N - 1


class DiesAfter:
    """A read of pages that dies after `pages` of them, like a run killed mid-load."""

    def __init__(self, items: list[list[dict]], pages_: int) -> None:
        self.items, self.pages = items, pages_

    def __iter__(self) -> Iterator[list[dict]]:
        for number, page in enumerate(self.items):
            if number == self.pages:
                raise RuntimeError("killed")
            yield page


def test_an_upgrade_run_that_dies_midway_leaves_one_live_row_per_product_and_is_redone(store: Store) -> None:
    load_v6(store, [product_v6(i) for i in range(N)])
    identifiers = {f"sku-{i}" for i in range(N)}
    seven = pages([product(i) for i in range(N)], 2)
    with pytest.raises(RuntimeError, match="killed"):
        store.load_entities("products", DiesAfter(seven, 3), run_id="dies", next_cursor="c7",
                               identifier_attribute="sku", full_read=True)
    assert_once_each(store, identifiers)  # half re-keyed, half not: still one row each
    keys = {r["uuid"] for r in live(store)}
    assert keys & {product_uuid(i) for i in range(N)} and keys & {identifier_uuid(i) for i in identifiers}
    assert store.key_field("products") == "identifier" and store.get_cursor("products") == "c6"
    assert store.needs_rekey("products", "uuid")
    store.load_entities("products", seven, run_id="redo", next_cursor="c7", identifier_attribute="sku",
                           full_read=True)
    assert_once_each(store, identifiers)
    assert {r["uuid"] for r in live(store)} == {product_uuid(i) for i in range(N)}
    assert store.table_rows("products") == N  # every old row was re-keyed, none left behind
    assert store.table_rows("product_values") == N * VALUES_PER_PRODUCT


def test_going_back_from_uuid_to_identifier_is_refused(store: Store) -> None:
    store.load_entities("products", pages([product(i) for i in range(3)], 4), run_id="seven", next_cursor="c7")
    assert store.key_field("products") == "uuid"
    with pytest.raises(StorageError, match="AKENEO_BASE_URL") as info:
        load_v6(store, [product_v6(0)])
    assert "WAREHOUSE_URL" in str(info.value)
    assert store.table_rows("products") == 3 and store.get_cursor("products") == "c7"
