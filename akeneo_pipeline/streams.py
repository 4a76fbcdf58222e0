"""Every stream the pipeline reads, declared once: what Akeneo calls it, where it is served,
how it is read, what keys it, the columns of its table, and its asset in Dagster.

The client (akeneo/) reads paths, keys and the way of reading from here, storage (storage/)
derives its table specs, defs/ its asset keys, groups and checks. A new stream is one entry
here plus its flattening. Like settings.py this imports nothing of ours. The sandbox does
not import it: a model of Akeneo that shared the product's reading of the API could not
catch a misreading (a test checks instead that the sandbox serves every path declared here).

Catalog structure has no usable `updated` filter across the board (options, family
variants, channels, locales, currencies, association types and measurement families
have none), so it is re-read whole each run; it is small. Products and product models
are read in time windows on `updated` (akeneo/entities.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

import pyarrow as pa

API = "/api/rest/v1"
CATALOG_GROUP = "akeneo_catalog"
ENTITIES_GROUP = "akeneo_products"

JSON_META = {b"akeneo.type": b"json"}
TIMESTAMP = pa.timestamp("us", tz="UTC")

# Attribute types whose options Akeneo serves at /attributes/{code}/options. Reference-data
# selects take their values from reference data instead: asking there would fail the read.
OPTION_ATTRIBUTE_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


def json_field(name: str) -> pa.Field:
    """A JSON document column: text in Arrow/Parquet, JSON/jsonb in the warehouse."""
    return pa.field(name, pa.string(), metadata=JSON_META)


def is_json(f: pa.Field) -> bool:
    return f.metadata is not None and f.metadata.get(b"akeneo.type") == b"json"


class Read(Enum):
    """How a stream is read from Akeneo."""

    LIST = "a paged list, read whole"
    UNPAGINATED = "one JSON array, read whole"
    PER_PARENT = "one paged list per code of the parent stream, read whole"
    WINDOWED = "search_after windows on `updated` (on `created` when reading everything)"


@dataclass(frozen=True)
class Parent:
    """The stream a sub-resource hangs under (`{parent}` in its path)."""

    stream: str
    field: str  # the item field naming the parent; the client sets it where Akeneo's item lacks it
    in_item: bool = True  # whether Akeneo's item carries `field` itself (a family variant's does not)
    types: tuple[str, ...] = ()  # only parents of these `type`s have children
    # The parent codes come from the parent's stored table rather than a fresh read, so the children
    # match what that table holds (and the asset depends on the parent's asset).
    stored: bool = False


@dataclass(frozen=True)
class Stream:
    name: str  # Akeneo's plural noun in snake case: the table, the Parquet dataset and the asset name
    path: str  # under the base URL; `{parent}` stands for the parent's code
    key: tuple[str, ...]  # the table's key columns
    columns: tuple[pa.Field, ...]  # what the table keeps of an item (storage adds raw, extracted_at, run_id)
    read: Read = Read.LIST
    group: str = CATALOG_GROUP
    source: Mapping[str, str] = field(default_factory=dict)  # column -> item field, where the names differ
    parent: Parent | None = None
    params: tuple[tuple[str, str], ...] = ()  # sent with every list request of the stream
    never_empty: bool = False  # every PIM has some: an empty table means a failed read or missing rights

    @property
    def asset_key(self) -> tuple[str, ...]:
        return ("akeneo", self.name)

    @property
    def item_key(self) -> tuple[str, ...]:
        """The item fields the key columns are read from."""
        return tuple(self.source.get(column, column) for column in self.key)


@dataclass(frozen=True)
class ByIdentifier:
    """Where an Akeneo without the stream's uuid route serves it, keyed by identifier instead.

    Akeneo 6 has no /products-uuid (Swagger `x-versions: ["7.0"]`); it lists products at
    /products, keyed by identifier, with search_after paging too (docs/rest-api_pagination.md).
    """

    path: str
    field: str = "identifier"


@dataclass(frozen=True)
class EntityStream(Stream):
    """Products or product models: read incrementally, their values in a table of their own."""

    read: Read = Read.WINDOWED
    group: str = ENTITIES_GROUP
    values_table: str = ""
    owner_column: str = ""  # the values table's column holding the owner's key
    by_identifier: ByIdentifier | None = None
    # Columns naming other items, each checked against the catalog tables (storage/checks.py).
    references: tuple[str, ...] = ()
    # The item's identifier is a value of the identifier attribute, which the load looks up in the
    # stored `attributes` (so the asset depends on that one).
    has_identifier: bool = False

    @property
    def key_column(self) -> str:
        return self.key[0]


_S, _B, _I = pa.string(), pa.bool_(), pa.int64()


def _f(name: str, type_: pa.DataType = _S) -> pa.Field:
    return pa.field(name, type_)


CATALOG_STREAMS: dict[str, Stream] = {
    s.name: s
    for s in (
        Stream("channels", f"{API}/channels", ("code",), (
            _f("code"), _f("category_tree"), json_field("locales"), json_field("currencies"),
            json_field("conversion_units"), json_field("labels")), never_empty=True),
        Stream("locales", f"{API}/locales", ("code",), (_f("code"), _f("enabled", _B)), never_empty=True),
        Stream("currencies", f"{API}/currencies", ("code",), (_f("code"), _f("enabled", _B), _f("label")),
               never_empty=True),
        Stream("attribute_groups", f"{API}/attribute-groups", ("code",), (
            _f("code"), _f("sort_order", _I), json_field("attributes"), json_field("labels"))),
        Stream("attributes", f"{API}/attributes", ("code",), (
            _f("code"), _f("type"), _f("group_code"), _f("sort_order", _I), _f("localizable", _B),
            _f("scopable", _B), _f("unique", _B), _f("metric_family"), _f("default_metric_unit"),
            _f("reference_data_name"), json_field("available_locales"), json_field("labels")),
               source={"group_code": "group"}, never_empty=True),
        Stream("families", f"{API}/families", ("code",), (
            _f("code"), _f("attribute_as_label"), _f("attribute_as_image"), json_field("attributes"),
            json_field("attribute_requirements"), json_field("labels")), never_empty=True),
        Stream("family_variants", f"{API}/families/{{parent}}/variants", ("family_code", "code"), (
            _f("family_code"), _f("code"), json_field("variant_attribute_sets"), json_field("labels")),
               read=Read.PER_PARENT, source={"family_code": "family"},
               parent=Parent("families", "family", in_item=False)),
        # `position` comes only when asked (Swagger: `with_position`, from 7.0; older PIMs ignore the
        # unknown parameter and serve no position, so categories.position stays null there).
        Stream("categories", f"{API}/categories", ("code",), (
            _f("code"), _f("parent"), _f("position", _I), _f("updated", TIMESTAMP), json_field("labels")),
               params=(("with_position", "true"),), never_empty=True),
        Stream("association_types", f"{API}/association-types", ("code",), (
            _f("code"), _f("is_quantified", _B), _f("is_two_way", _B), json_field("labels"))),
        Stream("measurement_families", f"{API}/measurement-families", ("code",), (
            _f("code"), _f("standard_unit_code"), json_field("labels"), json_field("units")),
               read=Read.UNPAGINATED),
        Stream("attribute_options", f"{API}/attributes/{{parent}}/options", ("attribute_code", "code"), (
            _f("attribute_code"), _f("code"), _f("sort_order", _I), json_field("labels")),
               read=Read.PER_PARENT, source={"attribute_code": "attribute"},
               parent=Parent("attributes", "attribute", types=OPTION_ATTRIBUTE_TYPES, stored=True)),
    )
}

PRODUCTS = EntityStream(
    "products", f"{API}/products-uuid", ("uuid",), (
        _f("uuid"), _f("identifier"), _f("enabled", _B), _f("family"), _f("parent"), json_field("categories"),
        json_field("groups"), _f("created", TIMESTAMP), _f("updated", TIMESTAMP)),
    values_table="product_values", owner_column="product_uuid",
    by_identifier=ByIdentifier(f"{API}/products"),
    references=("family", "parent", "categories"), has_identifier=True,
)
PRODUCT_MODELS = EntityStream(
    "product_models", f"{API}/product-models", ("code",), (
        _f("code"), _f("family"), _f("family_variant"), _f("parent"), json_field("categories"),
        _f("created", TIMESTAMP), _f("updated", TIMESTAMP)),
    values_table="product_model_values", owner_column="product_model_code",
    references=("family", "family_variant", "parent", "categories"),
)
ENTITY_STREAMS: dict[str, EntityStream] = {s.name: s for s in (PRODUCTS, PRODUCT_MODELS)}
STREAMS: dict[str, Stream] = {**CATALOG_STREAMS, **ENTITY_STREAMS}


def catalog_stream(name: str) -> Stream:
    try:
        return CATALOG_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown catalog stream {name!r}; expected one of: {', '.join(CATALOG_STREAMS)}") from None


def entity_stream(name: str | EntityStream) -> EntityStream:
    if isinstance(name, EntityStream):
        return name
    try:
        return ENTITY_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown entity stream {name!r}; expected one of: {', '.join(ENTITY_STREAMS)}") from None
