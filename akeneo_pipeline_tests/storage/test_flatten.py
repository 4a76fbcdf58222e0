"""Akeneo items -> Arrow rows: every value type, identifiers, raw, and clear errors on bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest

from akeneo_pipeline.storage import CATALOG_TABLES, ENTITY_TABLES, InvalidItemError
from akeneo_pipeline.storage.flatten import flatten_catalog, flatten_entities, newest_per_key
from akeneo_pipeline.storage.schemas import TIMESTAMP
from akeneo_pipeline_tests.fixtures.items import (
    CATALOG,
    ODD_CODE,
    VALUES_PER_PRODUCT,
    product,
    product_model,
    product_uuid,
)

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _products(items: list[dict[str, Any]], identifier: str | None = "sku") -> tuple[pa.Table, pa.Table]:
    return flatten_entities(ENTITY_TABLES["products"], items, NOW, "run-1", identifier)


def test_product_columns_are_typed_and_times_utc() -> None:
    entities, _ = _products([product(0), product(1)])
    assert entities.schema == ENTITY_TABLES["products"].entity.schema
    row = entities.to_pylist()[1]
    assert row["uuid"] == product_uuid(1) and row["identifier"] == "sku-1"
    assert row["family"] == "tshirt" and row["parent"] is None and row["enabled"] is True
    assert row["created"] == datetime(2016, 6, 23, 16, 24, 44, tzinfo=UTC)
    assert json.loads(row["categories"]) == ["summer_collection", ODD_CODE]
    assert json.loads(row["raw"]) == product(1)
    assert entities.column("family").to_pylist()[0] is None  # product 0 has no family


def test_every_value_type_becomes_one_row_with_json_data() -> None:
    _, values = _products([product(2)])
    assert values.num_rows == VALUES_PER_PRODUCT
    rows = {(r["attribute_code"], r["locale"], r["scope"]): json.loads(r["data"]) for r in values.to_pylist()}
    assert rows[("weight_grams", None, None)] == 152
    assert rows[("ratio", None, None)] == "12.5000"
    assert rows[("waterproof", None, None)] is True
    assert rows[("collection", None, None)] == ["summer_2017", ODD_CODE]
    assert rows[("weight", None, None)] == {"amount": "1.2500", "unit": "KILOGRAM"}
    assert rows[("price", None, None)][1] == {"amount": 15, "currency": "USD"}
    assert rows[("nutrition", None, None)][1] == {"ingredient": "salt", "is_allergen": False}
    assert rows[("description", "en_US", "ecommerce")] == 'Summer top\nwith "quotes"'
    assert rows[("color", None, None)] == ODD_CODE  # data only: linked_data stays in raw
    assert set(values.column("product_uuid").to_pylist()) == {product_uuid(2)}


def test_identifier_from_root_key_or_attribute_or_none() -> None:
    with_root = product(3) | {"identifier": "root-id"}
    entities, _ = _products([with_root, product(4)], identifier=None)
    assert entities.column("identifier").to_pylist() == ["root-id", None]
    entities, _ = _products([product(4)], identifier="sku")
    assert entities.column("identifier").to_pylist() == ["sku-4"]


def test_big_integers_survive_in_json() -> None:
    item = product(5)
    item["values"]["weight_grams"][0]["data"] = 2**70
    _, values = _products([item])
    data = [json.loads(r["data"]) for r in values.to_pylist() if r["attribute_code"] == "weight_grams"]
    assert data == [2**70]


def test_product_models_keyed_by_code() -> None:
    entities, values = flatten_entities(ENTITY_TABLES["product_models"], [product_model(ODD_CODE)], NOW, "r", None)
    assert entities.column("code").to_pylist() == [ODD_CODE]
    assert set(values.column("product_model_code").to_pylist()) == {ODD_CODE}
    assert values.num_rows == 3


@pytest.mark.parametrize("stream", sorted(CATALOG))
def test_catalog_items_flatten_with_raw(stream: str) -> None:
    spec = CATALOG_TABLES[stream]
    table = flatten_catalog(stream, spec, CATALOG[stream], NOW, "run-1")
    assert table.schema == spec.schema and table.num_rows == len(CATALOG[stream])
    for item, row in zip(CATALOG[stream], table.to_pylist(), strict=True):
        raw = json.loads(row["raw"])
        if stream == "family_variants":
            assert row["family_code"] == item["family"] and "family" not in raw
            assert raw == {k: v for k, v in item.items() if k != "family"}
        else:
            assert raw == item
        assert row["extracted_at"] == NOW and row["run_id"] == "run-1"


def test_attribute_option_and_attribute_renames() -> None:
    options = flatten_catalog("attribute_options", CATALOG_TABLES["attribute_options"], CATALOG["attribute_options"],
                              NOW, "r")
    assert options.column("attribute_code").to_pylist() == ["color", "color", "size"]
    assert options.column("sort_order").to_pylist() == [1, None, 2]
    attributes = flatten_catalog("attributes", CATALOG_TABLES["attributes"], CATALOG["attributes"], NOW, "r")
    assert attributes.column("group_code").to_pylist() == ["other", "marketing", "marketing"]
    stamp = "updated" if "updated" in attributes.schema.names else "extracted_at"
    assert attributes.schema.field(stamp).type == TIMESTAMP


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"enabled": "yes"}, "enabled", "'yes'"),
        ({"updated": "last tuesday"}, "updated", "'last tuesday'"),
        ({"family": {"code": "x"}}, "family", "{'code': 'x'}"),
        ({"values": ["not", "a", "dict"]}, "values", "expected an object"),
    ],
)
def test_bad_product_names_item_and_column(change: dict, column: str, fragment: str) -> None:
    items = [product(6), product(7) | change]
    with pytest.raises(InvalidItemError) as raised:
        _products(items)
    message = str(raised.value)
    assert product_uuid(7) in message and repr(column) in message and fragment in message


def test_missing_key_is_named() -> None:
    with pytest.raises(InvalidItemError, match=r"#1.*code"):
        flatten_catalog("channels", CATALOG_TABLES["channels"], [{"code": "a"}, {"labels": {}}], NOW, "r")


def test_newest_copy_of_a_repeated_item_wins() -> None:
    old = product(8, updated="2020-01-01T10:00:00+02:00")
    new = product(8, revision=1, updated="2020-01-01T09:00:00Z")  # later instant, earlier wall clock
    other = product(9)
    assert newest_per_key([new, other, old], "uuid") == [new, other]
    assert newest_per_key([old, other, new], "uuid") == [other, new]
    assert newest_per_key([other], "uuid") == [other]
    assert isinstance(flatten_entities(ENTITY_TABLES["products"], [], NOW, "r")[0], pa.Table)
