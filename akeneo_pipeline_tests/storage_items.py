"""Realistic Akeneo items for the storage tests, shaped like the Swagger examples.

They cover nulls for locale/scope/family/parent, every value data type (text,
number as int and as decimal string, boolean, list, metric, price list, table),
unicode and quotes in codes. Built by hand so the storage tests depend on
neither the HTTP client nor the sandbox.
"""

from __future__ import annotations

import uuid
from typing import Any

IDENTIFIER_ATTRIBUTE = "sku"
ODD_CODE = 'l\'été "spécial" 💡'


def product_uuid(n: int) -> str:
    return str(uuid.UUID(int=0x25566245_55C3_42CE_86D9_000000000000 + n))


def values(n: int, revision: int = 0) -> dict[str, list[dict[str, Any]]]:
    vals: dict[str, list[dict[str, Any]]] = {
        "sku": [{"locale": None, "scope": None, "data": f"sku-{n}"}],
        "name": [
            {"locale": "en_US", "scope": None, "data": f"Top {n} r{revision}"},
            {"locale": "fr_FR", "scope": None, "data": f"Débardeur « {n} » l'été"},
        ],
        "description": [{"locale": "en_US", "scope": "ecommerce", "data": "Summer top\nwith \"quotes\""}],
        "weight_grams": [{"locale": None, "scope": None, "data": 150 + n}],
        "ratio": [{"locale": None, "scope": None, "data": "12.5000"}],
        "waterproof": [{"locale": None, "scope": None, "data": n % 2 == 0}],
        "collection": [{"locale": None, "scope": None, "data": ["summer_2017", ODD_CODE]}],
        "weight": [{"locale": None, "scope": None, "data": {"amount": "1.2500", "unit": "KILOGRAM"}}],
        "price": [{"locale": None, "scope": None, "data": [{"amount": "15.50", "currency": "EUR"},
                                                           {"amount": 15, "currency": "USD"}]}],
        "nutrition": [{"locale": None, "scope": None, "data": [{"ingredient": "sugar", "quantity": "10"},
                                                               {"ingredient": "salt", "is_allergen": False}]}],
        "color": [{"locale": None, "scope": None, "data": ODD_CODE,
                   "linked_data": {"attribute": "color", "code": ODD_CODE, "labels": {"en_US": "Odd"}}}],
    }
    if revision:
        vals.pop("description")  # a value removed in Akeneo must disappear
    return vals


VALUES_PER_PRODUCT = 12  # sku 1, name 2, description 1, 8 single ones
VALUES_PER_REVISED_PRODUCT = 11


def product(n: int, revision: int = 0, updated: str | None = None) -> dict[str, Any]:
    return {
        "uuid": product_uuid(n),
        "enabled": n % 3 != 0,
        "family": None if n % 5 == 0 else "tshirt",
        "categories": ["summer_collection", ODD_CODE],
        "groups": [],
        "parent": None if n % 4 else "model-biker-jacket-leather",
        "values": values(n, revision),
        "created": "2016-06-23T18:24:44+02:00",
        "updated": updated or f"2016-06-25T17:{56 + revision % 4:02d}:12+02:00",
        "associations": {"PACK": {"products": [], "product_models": [], "groups": []}},
        "quantified_associations": {},
    }


def product_v6(n: int, revision: int = 0, updated: str | None = None) -> dict[str, Any]:
    """The same product as Akeneo 6 lists it at `/products`: `identifier` at the root, no
    `uuid`, the identifier value left out of `values` (the Swagger file's `/products`
    examples; pim-community-dev's ConnectorProductNormalizer)."""
    item = product(n, revision, updated)
    item.pop("uuid")
    item["values"].pop(IDENTIFIER_ATTRIBUTE)
    return {"identifier": f"sku-{n}", **item}


def product_model(code: str, revision: int = 0) -> dict[str, Any]:
    return {
        "code": code,
        "family": "clothing",
        "family_variant": "clothing_material_size",
        "parent": None,
        "categories": ["summer_collection"],
        "values": {
            "material": [{"locale": None, "scope": None, "data": "leather"}],
            "variation_name": [{"locale": "en_US", "scope": None, "data": f"Biker jacket r{revision}"}],
        } | ({} if revision else {"color": [{"locale": None, "scope": None, "data": "antique_white"}]}),
        "associations": {},
        "quantified_associations": {},
        "created": "2017-10-02T15:03:55+02:00",
        "updated": f"2017-10-02T15:0{3 + revision}:55+02:00",
    }


def pages(items: list[dict], size: int) -> list[list[dict]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


CATALOG: dict[str, list[dict[str, Any]]] = {
    "channels": [{"code": "ecommerce", "currencies": ["USD", "EUR"], "locales": ["en_US", "fr_FR"],
                  "category_tree": "master", "conversion_units": {"weight": "KILOGRAM"},
                  "labels": {"en_US": "Ecommerce", "fr_FR": "E-commerce"}}],
    "locales": [{"code": "en_US", "enabled": True}, {"code": "fr_FR", "enabled": False}],
    "currencies": [{"code": "EUR", "enabled": True, "label": "Euro"}, {"code": "USD", "enabled": False, "label": None}],
    "attribute_groups": [{"code": "marketing", "sort_order": 4, "attributes": ["sku", "name"],
                          "labels": {"en_US": "Marketing"}}],
    "attributes": [
        {"code": "sku", "type": "pim_catalog_identifier", "group": "other", "unique": True, "useable_as_grid_filter": True,
         "allowed_extensions": [], "metric_family": None, "default_metric_unit": None, "reference_data_name": None,
         "available_locales": [], "sort_order": 1, "localizable": False, "scopable": False, "labels": {"en_US": "SKU"},
         "is_main_identifier": True},
        {"code": "color", "type": "pim_catalog_simpleselect", "group": "marketing", "unique": False,
         "sort_order": 2, "localizable": False, "scopable": False, "labels": {}, "available_locales": None},
        {"code": "weight", "type": "pim_catalog_metric", "group": "marketing", "metric_family": "Weight",
         "default_metric_unit": "KILOGRAM", "sort_order": 3, "localizable": False, "scopable": False,
         "decimals_allowed": True, "number_min": "0.0000", "labels": {"en_US": "Weight"}},
    ],
    "families": [{"code": "caps", "attributes": ["sku", "name"], "attribute_as_label": "name",
                  "attribute_as_image": None, "attribute_requirements": {"ecommerce": ["sku"]},
                  "labels": {"en_US": "Caps"}}],
    "family_variants": [
        {"family": "clothing", "code": "shoesVariant", "labels": {"en_US": "Shoes variant"},
         "variant_attribute_sets": [{"level": 1, "attributes": ["color"], "axes": ["color"]}]},
        {"family": "shoes", "code": "shoesVariant", "labels": {}, "variant_attribute_sets": []},
    ],
    "categories": [
        {"code": "master", "parent": None, "updated": "2021-05-22T12:48:00+02:00", "position": 1, "labels": {}},
        {"code": ODD_CODE, "parent": "master", "updated": "2021-05-22T10:48:00Z", "position": 2,
         "labels": {"fr_FR": "Collection d'été"}, "values": {}, "channel_requirements": ["ecommerce"]},
    ],
    "association_types": [{"code": "PACK", "labels": {"en_US": "Pack"}, "is_quantified": False, "is_two_way": False}],
    "measurement_families": [{"code": "AREA", "labels": {"en_US": "Area"}, "standard_unit_code": "SQUARE_METER",
                              "units": {"SQUARE_METER": {"code": "SQUARE_METER", "labels": {"en_US": "Square meter"},
                                                         "convert_from_standard": [{"operator": "mul", "value": "1"}],
                                                         "symbol": "m²"}}}],
    "attribute_options": [
        {"code": "black", "attribute": "color", "sort_order": 1, "labels": {"en_US": "Black", "fr_FR": "Noir"}},
        {"code": ODD_CODE, "attribute": "color", "sort_order": None, "labels": {}},
        {"code": "black", "attribute": "size", "sort_order": 2, "labels": {"en_US": "Black"}},
    ],
}


# -- fixtures shared by the test_storage_* modules (imported there by name) ----------------

import pytest  # noqa: E402


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Each storage test runs on an embedded DuckDB file and on the real PostgreSQL server."""
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(warehouse_url: str, tmp_path):
    from akeneo_pipeline.storage import Store

    return Store(tmp_path / "data", warehouse_url, batch_rows=4)
