"""Every stream the pipeline reads, declared once: what Akeneo calls it, where it is served,
how it is read, what keys it, the columns of its table, and its asset in Dagster.

The client (akeneo/) reads paths, keys and the way of reading from here, storage (storage/)
derives its table specs, defs/ its asset keys, groups and checks. A new stream is one entry
here plus its flattening; what a declaration is made of is stream_types.py. Like settings.py
this imports nothing of ours. The sandbox does
not import it: a model of Akeneo that shared the product's reading of the API could not
catch a misreading (a test checks instead that the sandbox serves every path declared here).

Catalog structure has no usable `updated` filter across the board (options, family
variants, channels, locales, currencies, association types and measurement families
have none), so it is re-read whole each run; it is small. Products and product models
are read in time windows on `updated` (akeneo/entities.py). The Enterprise and Growth streams
(EDITION_STREAMS: reference entities, asset families, table attributes' columns and options) are
structure too; reference entity records and assets (RECORD_STREAMS) are read per parent on
`updated`, which their lists filter in ISO 8601 (sync/records.py).
"""

from __future__ import annotations

import pyarrow as pa

from akeneo_pipeline.stream_types import (  # re-exported: callers import them from here
    API,
    ASSET_MANAGER_GROUP,
    CATALOG_GROUP,
    ENTITIES_GROUP,
    JSON_META,
    OPTION_ATTRIBUTE_TYPES,
    REFERENCE_ENTITIES_GROUP,
    TABLE_ATTRIBUTES_GROUP,
    TIMESTAMP,
    ByIdentifier,
    EntityStream,
    Nested,
    Parent,
    Read,
    RecordStream,
    Stream,
    is_json,
    json_field,
)

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


def catalog_stream(name: str) -> Stream:
    try:
        return STRUCTURE_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown catalog stream {name!r}; expected one of: {', '.join(STRUCTURE_STREAMS)}") from None


def entity_stream(name: str | EntityStream) -> EntityStream:
    if isinstance(name, EntityStream):
        return name
    try:
        return ENTITY_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown entity stream {name!r}; expected one of: {', '.join(ENTITY_STREAMS)}") from None


# ---- Enterprise and Growth editions --------------------------------------------------------------
# Reference entities and the Asset Manager are Enterprise only (the Swagger file marks every
# /reference-entities and /asset-families path `x-ee: true`); Community Edition lists none of these
# routes at GET /api/rest/v1, so a run there skips them (`edition_only`). Their lists page by
# search_after only and take no `limit` (Swagger: no such parameter; rest-api_pagination.md: "the
# `Search-after` method is the only one available"); attribute and option lists are plain arrays
# ("the response is not paginated", Swagger `type: array`). Akeneo's attribute and record items do not
# name their reference entity / asset family: the client stamps `reference_entity` / `asset_family`
# (an asset carries `asset_family_code` itself, Swagger AssetList). The field is not
# `reference_entity_code`: a link attribute has that field already (its target entity). App scopes: Akeneo's
# docs page apps_authentication-and-authorization.md ("Available authorization scopes", all EE):
# read_reference_entities, read_reference_entity_records, read_asset_families, read_assets.
_RE, _AF = f"{API}/reference-entities", f"{API}/asset-families"
_OPTION_TYPES = ("single_option", "multiple_options")  # the attribute types with options (Swagger enums)
_ENTITY_ATTRIBUTE = (_f("code"), _f("type"), _f("value_per_locale", _B), _f("value_per_channel", _B),
                     _f("is_required_for_completeness", _B), json_field("labels"))
TABLE_ATTRIBUTE_TYPES = ("pim_catalog_table",)

EDITION_STREAMS: dict[str, Stream] = {
    s.name: s
    for s in (
        Stream("reference_entities", _RE, ("code",), (_f("code"), _f("image"), json_field("labels")),
               group=REFERENCE_ENTITIES_GROUP, edition_only=True, limit=False, scope="read_reference_entities"),
        Stream("reference_entity_attributes", f"{_RE}/{{parent}}/attributes", ("reference_entity_code", "code"),
               (_f("reference_entity_code"), *_ENTITY_ATTRIBUTE), read=Read.PER_PARENT_ARRAY,
               source={"reference_entity_code": "reference_entity"}, group=REFERENCE_ENTITIES_GROUP,
               parent=Parent("reference_entities", "reference_entity", in_item=False, stored=True),
               edition_only=True, limit=False, scope="read_reference_entities"),
        Stream("reference_entity_attribute_options", f"{_RE}/{{parent}}/attributes/{{parent}}/options",
               ("reference_entity_code", "attribute_code", "code"),
               (_f("reference_entity_code"), _f("attribute_code"), _f("code"), json_field("labels")),
               read=Read.PER_PARENT_ARRAY, group=REFERENCE_ENTITIES_GROUP,
               source={"reference_entity_code": "reference_entity", "attribute_code": "attribute"},
               parent=Parent("reference_entity_attributes", "attribute", in_item=False, types=_OPTION_TYPES,
                             stored=True, outer=("reference_entity",)),
               edition_only=True, limit=False, scope="read_reference_entities"),
        Stream("asset_families", _AF, ("code",), (
            _f("code"), _f("attribute_as_main_media"), json_field("labels"), json_field("naming_convention"),
            json_field("product_link_rules"), json_field("transformations")),
               group=ASSET_MANAGER_GROUP, edition_only=True, limit=False, scope="read_asset_families"),
        Stream("asset_family_attributes", f"{_AF}/{{parent}}/attributes", ("asset_family_code", "code"),
               (_f("asset_family_code"), *_ENTITY_ATTRIBUTE, _f("is_read_only", _B), _f("media_type")),
               read=Read.PER_PARENT_ARRAY, source={"asset_family_code": "asset_family"}, group=ASSET_MANAGER_GROUP,
               parent=Parent("asset_families", "asset_family", in_item=False, stored=True),
               edition_only=True, limit=False, scope="read_asset_families"),
        Stream("asset_family_attribute_options", f"{_AF}/{{parent}}/attributes/{{parent}}/options",
               ("asset_family_code", "attribute_code", "code"),
               (_f("asset_family_code"), _f("attribute_code"), _f("code"), json_field("labels")),
               read=Read.PER_PARENT_ARRAY, group=ASSET_MANAGER_GROUP,
               source={"asset_family_code": "asset_family", "attribute_code": "attribute"},
               parent=Parent("asset_family_attributes", "attribute", in_item=False, types=_OPTION_TYPES,
                             stored=True, outer=("asset_family",)),
               edition_only=True, limit=False, scope="read_asset_families"),
        # Table attributes (Growth and Enterprise; docs/concepts_catalog-structure.md, "Table"): their
        # columns are the attribute's `table_configuration`, a select column's options come with
        # `with_table_select_options=true` (Swagger, GET /attributes: "Only available since the 7.0
        # version"; an older PIM ignores the parameter and serves no options). Read from /attributes,
        # which every edition serves: a Community PIM has no table attribute, so both tables stay empty.
        Stream("table_attribute_columns", f"{API}/attributes", ("attribute_code", "code"), (
            _f("attribute_code"), _f("code"), _f("position", _I), _f("data_type"), json_field("labels"),
            json_field("validations"), _f("is_required_for_completeness", _B)),
               read=Read.NESTED, group=TABLE_ATTRIBUTES_GROUP,
               nested=Nested("attributes", ("table_configuration",), ("attribute_code",), TABLE_ATTRIBUTE_TYPES,
                             position="position")),
        Stream("table_select_options", f"{API}/attributes", ("attribute_code", "column_code", "code"), (
            _f("attribute_code"), _f("column_code"), _f("code"), _f("position", _I), json_field("labels")),
               read=Read.NESTED, group=TABLE_ATTRIBUTES_GROUP, params=(("with_table_select_options", "true"),),
               nested=Nested("attributes", ("table_configuration", "options"), ("attribute_code", "column_code"),
                             TABLE_ATTRIBUTE_TYPES, position="position")),
    )
}

REFERENCE_ENTITY_RECORDS = RecordStream(
    "reference_entity_records", f"{_RE}/{{parent}}/records", ("reference_entity_code", "code"), (
        _f("reference_entity_code"), _f("code"), _f("created", TIMESTAMP), _f("updated", TIMESTAMP)),
    source={"reference_entity_code": "reference_entity"}, group=REFERENCE_ENTITIES_GROUP,
    parent=Parent("reference_entities", "reference_entity", in_item=False, stored=True),
    values_table="reference_entity_record_values", owner_columns=("reference_entity_code", "record_code"),
    scope="read_reference_entity_records",
)
ASSETS = RecordStream(
    "assets", f"{_AF}/{{parent}}/assets", ("asset_family_code", "code"), (
        _f("asset_family_code"), _f("code"), _f("created", TIMESTAMP), _f("updated", TIMESTAMP)),
    group=ASSET_MANAGER_GROUP, parent=Parent("asset_families", "asset_family_code", stored=True),
    values_table="asset_values", owner_columns=("asset_family_code", "asset_code"), scope="read_assets",
)
RECORD_STREAMS: dict[str, RecordStream] = {s.name: s for s in (REFERENCE_ENTITY_RECORDS, ASSETS)}

# Streams read whole each run (catalog structure and the editions' structure), by name.
STRUCTURE_STREAMS: dict[str, Stream] = {**CATALOG_STREAMS, **EDITION_STREAMS}
STREAMS: dict[str, Stream] = {**CATALOG_STREAMS, **ENTITY_STREAMS, **EDITION_STREAMS, **RECORD_STREAMS}


def record_stream(name: str | RecordStream) -> RecordStream:
    if isinstance(name, RecordStream):
        return name
    try:
        return RECORD_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown record stream {name!r}; expected one of: {', '.join(RECORD_STREAMS)}") from None

__all__ = [
    "API",
    "ASSET_MANAGER_GROUP",
    "CATALOG_GROUP",
    "ENTITIES_GROUP",
    "JSON_META",
    "OPTION_ATTRIBUTE_TYPES",
    "REFERENCE_ENTITIES_GROUP",
    "TABLE_ATTRIBUTES_GROUP",
    "TIMESTAMP",
    "ByIdentifier",
    "EntityStream",
    "Nested",
    "Parent",
    "Read",
    "RecordStream",
    "Stream",
    "is_json",
    "json_field",
]
