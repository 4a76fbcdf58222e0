"""Every warehouse table's pyarrow schema and key, written once, in one place.

A stream's table derives from its declaration (akeneo_pipeline/streams.py): the columns
it keeps of an item, plus what storage adds (`raw`, `extracted_at`, `run_id`, and
`deleted_at` for products and product models, whose values get a table of their own).
The tables that are no stream are declared here too: the cursors (`sync_state`) and the
picklist tables. Parquet files, warehouse DDL and reads all derive from these schemas, so
the two stores cannot drift apart. JSON columns are Arrow strings tagged with field
metadata (`json_field`); the warehouse turns them into DuckDB `JSON` / PostgreSQL `jsonb`.
Times are UTC timestamps with time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from akeneo_pipeline.streams import (
    CATALOG_STREAMS,
    EDITION_STREAMS,
    ENTITY_STREAMS,
    RECORD_STREAMS,
    TIMESTAMP,
    EntityStream,
    RecordStream,
    Stream,
    is_json,
    json_field,
)

__all__ = ["ALL_TABLES", "CATALOG_TABLES", "EDITION_TABLES", "ENTITY_TABLES", "PICKLIST_TABLES", "RECORD_TABLES",
           "STRUCTURE_TABLES", "TIMESTAMP", "EntityTables", "RecordTables", "TableSpec", "is_json", "json_field"]


@dataclass(frozen=True)
class TableSpec:
    """A table: its schema, its key, and where its columns come from in an item.

    `source` maps a column to the item field it is read from when the names
    differ (Akeneo's `attribute` becomes `attribute_code`). Columns absent from
    `source` are read from the item field of the same name.
    """

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    source: Mapping[str, str] = field(default_factory=dict)
    # Whether the key is the table's PRIMARY KEY. The picklist tables' key holds `table_column`, NULL for
    # every picklist but a table attribute's select column, so it is a logical key there: writes match it
    # with IS NOT DISTINCT FROM (picklist_tables.py).
    primary_key: bool = True

    @property
    def columns(self) -> list[str]:
        return self.schema.names


_S, _B, _I = pa.string(), pa.bool_(), pa.int64()
_TAIL: list[pa.Field] = [json_field("raw"), pa.field("extracted_at", TIMESTAMP), pa.field("run_id", _S)]
_ENTITY_TAIL: list[pa.Field] = [json_field("raw"), pa.field("extracted_at", TIMESTAMP),
                                pa.field("deleted_at", TIMESTAMP), pa.field("run_id", _S)]


def _schema(*fields: pa.Field) -> pa.Schema:
    return pa.schema(fields)


def _catalog(stream: Stream) -> TableSpec:
    return TableSpec(stream.name, pa.schema([*stream.columns, *_TAIL]), stream.key, stream.source)


CATALOG_TABLES: dict[str, TableSpec] = {name: _catalog(stream) for name, stream in CATALOG_STREAMS.items()}
# The editions' structure (reference entities, asset families, table attributes), read whole like the catalog.
EDITION_TABLES: dict[str, TableSpec] = {name: _catalog(stream) for name, stream in EDITION_STREAMS.items()}
STRUCTURE_TABLES: dict[str, TableSpec] = {**CATALOG_TABLES, **EDITION_TABLES}


def _added(stream: Stream) -> tuple[str, ...]:
    if stream.nested is not None:
        return (*stream.nested.parents, *((stream.nested.position,) if stream.nested.position else ()))
    if stream.parent is not None and not stream.parent.in_item:
        return (*stream.parent.outer, stream.parent.field)
    return ()


# Keys the client adds to an item that Akeneo itself did not send: kept out of `raw`.
ADDED_KEYS: dict[str, tuple[str, ...]] = {
    name: _added(stream) for name, stream in {**CATALOG_STREAMS, **EDITION_STREAMS, **RECORD_STREAMS}.items()
    if _added(stream)
}


@dataclass(frozen=True)
class EntityTables:
    """An incremental stream's tables: the entity table, its values table and the owner column linking them."""

    entity: TableSpec
    values: TableSpec
    owner_column: str


def _entity(stream: EntityStream) -> EntityTables:
    entity = TableSpec(stream.name, pa.schema([*stream.columns, *_ENTITY_TAIL]), stream.key, stream.source)
    # No primary key: locale and scope are NULL for most values. Rows are
    # replaced per owner, so (owner, attribute_code, locale, scope) stays unique.
    values = TableSpec(stream.values_table, _schema(
        pa.field(stream.owner_column, _S), pa.field("attribute_code", _S), pa.field("locale", _S),
        pa.field("scope", _S), json_field("data"),
    ), ())
    return EntityTables(entity, values, stream.owner_column)


ENTITY_TABLES: dict[str, EntityTables] = {name: _entity(stream) for name, stream in ENTITY_STREAMS.items()}


@dataclass(frozen=True)
class RecordTables:
    """Reference entity records or assets: their table (keyed by parent and code, no soft delete: a full
    read replaces it) and their values table, linked by `owner_columns`."""

    entity: TableSpec
    values: TableSpec
    owner_columns: tuple[str, ...]


def _records(stream: RecordStream) -> RecordTables:
    entity = TableSpec(stream.name, pa.schema([*stream.columns, *_TAIL]), stream.key, stream.source)
    # Record and asset values name their channel `channel` (Swagger ReferenceEntityRecord, AssetList), not
    # `scope` as product values do. Media values keep their file code (and raw keeps the links): no download.
    values = TableSpec(stream.values_table, _schema(
        *(pa.field(column, _S) for column in stream.owner_columns), pa.field("attribute_code", _S),
        pa.field("locale", _S), pa.field("channel", _S), json_field("data"),
    ), ())
    return RecordTables(entity, values, stream.owner_columns)


RECORD_TABLES: dict[str, RecordTables] = {name: _records(stream) for name, stream in RECORD_STREAMS.items()}

SYNC_STATE = TableSpec("sync_state", _schema(
    pa.field("stream", _S), pa.field("cursor", _S), pa.field("moved_at", TIMESTAMP), pa.field("run_id", _S),
), ("stream",))

# The picklist tables: the change log and the value sets a target holds. `picklist_current` doubles as
# the previous snapshot: its active rows are what the last committed run saw, so there is no second
# copy to drift. An attribute with no options is still a select attribute, so `picklist_attributes`
# remembers the attributes themselves.
#
# `source` says which kind of picklist a row belongs to: "attribute_option" (a select attribute's options),
# "reference_entity_record" (a reference entity attribute's picklist: its entity's records) or
# "table_select_option" (a table attribute's select column, named by `table_column`, NULL otherwise).
# Both columns were added after the first release: picklist_tables.migrate adds them to older warehouses.
PICKLIST_CHANGES = TableSpec("picklist_changes", _schema(
    pa.field("change_id", _I, nullable=False), pa.field("detected_at", TIMESTAMP), pa.field("run_id", _S),
    pa.field("attribute_code", _S), pa.field("option_code", _S), pa.field("change_type", _S),
    pa.field("locale", _S), pa.field("old_label", _S), pa.field("new_label", _S),
    pa.field("old_sort_order", _I), pa.field("new_sort_order", _I), json_field("labels"),
    # feed version 2 (docs/picklist-feed.md): added at the end, so version 1 readers see the same columns
    pa.field("attribute_type", _S), pa.field("auto_option_sorting", _B), pa.field("reactivated", _B),
    pa.field("source", _S), pa.field("table_column", _S),
), ("change_id",))

PICKLIST_CURRENT = TableSpec("picklist_current", _schema(
    pa.field("attribute_code", _S), pa.field("option_code", _S), pa.field("sort_order", _I), json_field("labels"),
    pa.field("active", _B), pa.field("first_seen_at", TIMESTAMP), pa.field("changed_at", TIMESTAMP),
    pa.field("removed_at", TIMESTAMP), pa.field("last_change_id", _I),
    pa.field("source", _S), pa.field("table_column", _S),
), ("attribute_code", "table_column", "option_code"), primary_key=False)

# `note`: why a picklist has no values to read (reference-data selects), NULL otherwise.
PICKLIST_ATTRIBUTES = TableSpec("picklist_attributes", _schema(
    pa.field("attribute_code", _S), pa.field("attribute_type", _S), pa.field("active", _B),
    pa.field("first_seen_at", TIMESTAMP), pa.field("changed_at", TIMESTAMP), pa.field("removed_at", TIMESTAMP),
    pa.field("source", _S), pa.field("table_column", _S), pa.field("note", _S),
), ("attribute_code", "table_column"), primary_key=False)

# The feed's identity: one row, made when the warehouse is created, so a consumer can tell a rebuilt
# warehouse (whose change_ids start again at 1) from the one it followed.
PICKLIST_FEED_EPOCH = TableSpec("picklist_feed_epoch", _schema(
    pa.field("epoch", _S, nullable=False), pa.field("created_at", TIMESTAMP),
), ("epoch",))

# What each option change touched when it was counted (picklist_impact), kept per change id.
PICKLIST_CHANGE_IMPACT = TableSpec("picklist_change_impact", _schema(
    pa.field("change_id", _I, nullable=False), pa.field("attribute_code", _S), pa.field("option_code", _S),
    pa.field("change_type", _S), pa.field("product_count", _I), pa.field("product_model_count", _I),
    pa.field("counted_at", TIMESTAMP),
), ("change_id",))

# The Salesforce target's positions: the last change id deployed per attribute and target.
SALESFORCE_POSITIONS = TableSpec("salesforce_positions", _schema(
    pa.field("attribute_code", _S), pa.field("target", _S), pa.field("change_id", _I),
    pa.field("mapping_digest", _S), pa.field("deploy_id", _S), pa.field("recorded_at", TIMESTAMP),
), ("attribute_code", "target"))

PICKLIST_TABLES: dict[str, TableSpec] = {s.name: s for s in (
    PICKLIST_CHANGES, PICKLIST_CURRENT, PICKLIST_ATTRIBUTES, PICKLIST_FEED_EPOCH, PICKLIST_CHANGE_IMPACT)}

ALL_TABLES: dict[str, TableSpec] = {
    **CATALOG_TABLES,
    **EDITION_TABLES,
    **{spec.name: spec for tables in RECORD_TABLES.values() for spec in (tables.entity, tables.values)},
    **{spec.name: spec for tables in ENTITY_TABLES.values() for spec in (tables.entity, tables.values)},
    SYNC_STATE.name: SYNC_STATE,
    **PICKLIST_TABLES,
    SALESFORCE_POSITIONS.name: SALESFORCE_POSITIONS,
}
