"""What a stream declaration is made of (streams.py declares them): the ways of reading a list,
a stream's parent and nested lists, its key and columns, and the JSON column marker. Like
streams.py, it imports nothing of ours."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

import pyarrow as pa

API = "/api/rest/v1"
CATALOG_GROUP = "akeneo_catalog"
ENTITIES_GROUP = "akeneo_products"
REFERENCE_ENTITIES_GROUP = "akeneo_reference_entities"
ASSET_MANAGER_GROUP = "akeneo_asset_manager"
TABLE_ATTRIBUTES_GROUP = "akeneo_table_attributes"

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
    PER_PARENT_ARRAY = "one plain JSON array per parent (not paged), read whole"
    NESTED = "items nested in another stream's items, read with that stream's list"
    PER_PARENT_UPDATED = "one search_after list per parent, filtered on `updated` (ISO 8601) after the cursor"


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
    # Item fields naming the parent's own parents, for a path with several `{parent}`s
    # (`/reference-entities/{parent}/attributes/{parent}/options`): the parent's key is (*outer, code).
    outer: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The item fields naming the parent key, in the order of the path's `{parent}`s."""
        return (*self.outer, self.field)


@dataclass(frozen=True)
class Nested:
    """Items that come inside another stream's items: a table attribute's columns
    (`table_configuration`), a select column's options (`table_configuration[].options`)."""

    stream: str  # the stream whose list carries them
    fields: tuple[str, ...]  # the path of lists down to the items
    parents: tuple[str, ...]  # the columns naming the item it sits in at each level (set by the client)
    types: tuple[str, ...] = ()  # only items of the outer stream of these `type`s carry them
    position: str = ""  # a column the client fills with the item's index in its list, where order matters


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
    # Served by some editions only (Enterprise, Serenity): a run whose Akeneo does not list the path in
    # its route list (GET /api/rest/v1) skips the stream with a note instead of failing.
    edition_only: bool = False
    limit: bool = True  # whether list requests send `limit` (the reference entity and asset lists take none)
    # The Akeneo App scope reading it takes, for the streams outside the pipeline's required scopes
    # (akeneo/scopes.py): an App token without it skips the stream with a note.
    scope: str = ""
    nested: Nested | None = None

    @property
    def asset_key(self) -> tuple[str, ...]:
        return ("akeneo", self.name)

    @property
    def item_key(self) -> tuple[str, ...]:
        """The item fields the key columns are read from."""
        return tuple(self.source.get(column, column) for column in self.key)


@dataclass(frozen=True)
class RecordStream(Stream):
    """Reference entity records and Asset Manager assets: one search_after list per parent, read
    incrementally with the `updated` filter (ISO 8601, rest-api_filter.md "Filter reference entity
    records" / "Filter assets"), their values in a table of their own."""

    read: Read = Read.PER_PARENT_UPDATED
    values_table: str = ""
    owner_columns: tuple[str, ...] = ()  # the values table's columns holding the owner's key
    edition_only: bool = True
    limit: bool = False


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
