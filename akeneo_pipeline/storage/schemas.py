"""The pyarrow schema of every warehouse table, written once, with its key next to it.

Parquet files, warehouse DDL and reads all derive from these schemas, so the
two stores cannot drift apart. JSON columns are Arrow strings tagged with
field metadata (`json_field`); the warehouse turns them into DuckDB `JSON` /
PostgreSQL `jsonb`. Times are UTC timestamps with time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

JSON_META = {b"akeneo.type": b"json"}
TIMESTAMP = pa.timestamp("us", tz="UTC")


def json_field(name: str) -> pa.Field:
    """A JSON document column: text in Arrow/Parquet, JSON/jsonb in the warehouse."""
    return pa.field(name, pa.string(), metadata=JSON_META)


def is_json(f: pa.Field) -> bool:
    return bool(f.metadata) and f.metadata.get(b"akeneo.type") == b"json"


@dataclass(frozen=True)
class TableSpec:
    """A contract table: its schema, its key, and where its columns come from in an item.

    `source` maps a column to the item field it is read from when the names
    differ (Akeneo's `attribute` becomes `attribute_code`). Columns absent from
    `source` are read from the item field of the same name.
    """

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    source: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return self.schema.names


_S, _B, _I = pa.string(), pa.bool_(), pa.int64()
_TAIL = [json_field("raw"), pa.field("extracted_at", TIMESTAMP), pa.field("run_id", _S)]


def _catalog(name: str, key: tuple[str, ...], fields: list[pa.Field], source: dict[str, str] | None = None) -> TableSpec:
    return TableSpec(name, pa.schema([*fields, *_TAIL]), key, source or {})


CATALOG_TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in [
        _catalog("channels", ("code",), [pa.field("code", _S), pa.field("category_tree", _S), json_field("locales"),
                                          json_field("currencies"), json_field("conversion_units"), json_field("labels")]),
        _catalog("locales", ("code",), [pa.field("code", _S), pa.field("enabled", _B)]),
        _catalog("currencies", ("code",), [pa.field("code", _S), pa.field("enabled", _B), pa.field("label", _S)]),
        _catalog("attribute_groups", ("code",), [pa.field("code", _S), pa.field("sort_order", _I),
                                                  json_field("attributes"), json_field("labels")]),
        _catalog("attributes", ("code",), [
            pa.field("code", _S), pa.field("type", _S), pa.field("group_code", _S), pa.field("sort_order", _I),
            pa.field("localizable", _B), pa.field("scopable", _B), pa.field("unique", _B),
            pa.field("metric_family", _S), pa.field("default_metric_unit", _S), pa.field("reference_data_name", _S),
            json_field("available_locales"), json_field("labels"),
        ], {"group_code": "group"}),
        _catalog("families", ("code",), [pa.field("code", _S), pa.field("attribute_as_label", _S),
                                          pa.field("attribute_as_image", _S), json_field("attributes"),
                                          json_field("attribute_requirements"), json_field("labels")]),
        _catalog("family_variants", ("family_code", "code"), [
            pa.field("family_code", _S), pa.field("code", _S), json_field("variant_attribute_sets"), json_field("labels"),
        ], {"family_code": "family"}),
        _catalog("categories", ("code",), [pa.field("code", _S), pa.field("parent", _S), pa.field("position", _I),
                                            pa.field("updated", TIMESTAMP), json_field("labels")]),
        _catalog("association_types", ("code",), [pa.field("code", _S), pa.field("is_quantified", _B),
                                                   pa.field("is_two_way", _B), json_field("labels")]),
        _catalog("measurement_families", ("code",), [pa.field("code", _S), pa.field("standard_unit_code", _S),
                                                      json_field("labels"), json_field("units")]),
        _catalog("attribute_options", ("attribute_code", "code"), [
            pa.field("attribute_code", _S), pa.field("code", _S), pa.field("sort_order", _I), json_field("labels"),
        ], {"attribute_code": "attribute"}),
    ]
}

# Keys the flattener adds to an item that Akeneo itself did not send: kept out of `raw`.
ADDED_KEYS: dict[str, tuple[str, ...]] = {"family_variants": ("family",)}

_ENTITY_TAIL = [json_field("raw"), pa.field("extracted_at", TIMESTAMP), pa.field("deleted_at", TIMESTAMP),
                pa.field("run_id", _S)]

PRODUCTS = TableSpec("products", pa.schema([
    pa.field("uuid", _S), pa.field("identifier", _S), pa.field("enabled", _B), pa.field("family", _S),
    pa.field("parent", _S), json_field("categories"), json_field("groups"),
    pa.field("created", TIMESTAMP), pa.field("updated", TIMESTAMP), *_ENTITY_TAIL,
]), ("uuid",))

PRODUCT_MODELS = TableSpec("product_models", pa.schema([
    pa.field("code", _S), pa.field("family", _S), pa.field("family_variant", _S), pa.field("parent", _S),
    json_field("categories"), pa.field("created", TIMESTAMP), pa.field("updated", TIMESTAMP), *_ENTITY_TAIL,
]), ("code",))


def _values(name: str, owner: str) -> TableSpec:
    # No primary key: locale and scope are NULL for most values. Rows are
    # replaced per owner, so (owner, attribute_code, locale, scope) stays unique.
    return TableSpec(name, pa.schema([
        pa.field(owner, _S), pa.field("attribute_code", _S), pa.field("locale", _S), pa.field("scope", _S),
        json_field("data"),
    ]), ())


PRODUCT_VALUES = _values("product_values", "product_uuid")
PRODUCT_MODEL_VALUES = _values("product_model_values", "product_model_code")

SYNC_STATE = TableSpec("sync_state", pa.schema([
    pa.field("stream", _S), pa.field("cursor", _S), pa.field("moved_at", TIMESTAMP), pa.field("run_id", _S),
]), ("stream",))


@dataclass(frozen=True)
class EntityStream:
    """An incremental stream: the entity table, its values table and the owner column linking them."""

    entity: TableSpec
    values: TableSpec
    owner_column: str


ENTITY_STREAMS: dict[str, EntityStream] = {
    "products": EntityStream(PRODUCTS, PRODUCT_VALUES, "product_uuid"),
    "product_models": EntityStream(PRODUCT_MODELS, PRODUCT_MODEL_VALUES, "product_model_code"),
}

ALL_TABLES: dict[str, TableSpec] = {
    **CATALOG_TABLES,
    **{s.name: s for s in (PRODUCTS, PRODUCT_MODELS, PRODUCT_VALUES, PRODUCT_MODEL_VALUES, SYNC_STATE)},
}
