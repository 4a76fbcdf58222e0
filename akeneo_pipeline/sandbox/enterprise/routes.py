"""`GET /api/rest/v1/reference-entities...` and `/asset-families...`: lists, get-ones and 404s.

Paths (Swagger; pim-community-dev routing.yml of src/Akeneo/ReferenceEntity/back and
src/Akeneo/AssetManager/back, Infrastructure/Symfony/Resources/config):
    /reference-entities                                               search_after page, 100 a page
    /reference-entities/{code}
    /reference-entities/{code}/attributes                             plain array
    /reference-entities/{code}/attributes/{attribute}
    /reference-entities/{code}/attributes/{attribute}/options         plain array
    /reference-entities/{code}/attributes/{attribute}/options/{option}
    /reference-entities/{code}/records                                search_after page, 100 a page
    /reference-entities/{code}/records/{record}
    /asset-families                                                   search_after page, 200 a page
    /asset-families/{code}, .../attributes, .../options (as above)
    /asset-families/{code}/assets                                     search_after page, 100 a page
    /asset-families/{code}/assets/{asset}

Pages: only search_after exists for these lists (rest-api_pagination.md: "the `Search-after` method is
the only one available"); the Swagger file gives them no `limit`, `page` or `pagination_type`
parameter, and the connector actions use a fixed page size (reference_entity_record_limit_per_page_for_connector:
100; asset_family_connector_assets_limit_per_page: 100; ..._asset_families_limit_per_page: 200; a PIM holds
at most 100 reference entities, reference_entity_limit). So `limit` and `page` are ignored, as the
actions ignore them, and `_links` carry only `channel`, `locales`, `search` and the cursor
(GetConnectorRecordsAction::paginateRecords, `query_parameters`; the Swagger example's next link:
`.../records?search_after=2x088w%3D%3D`). `next` appears when a page is full.

404s: 'Reference entity "%s" does not exist.' and 'Asset family "%s" does not exist.' are Akeneo's
(GetConnectorRecordsAction, GetConnectorAssetsAction); the messages for a missing attribute, option,
record or asset are the sandbox's own wording. On an edition without these features every path answers
404 "No route found", as a Symfony router with no such route does.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, unquote

from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.enterprise import filters
from akeneo_pipeline.sandbox.enterprise.editions import edition
from akeneo_pipeline.sandbox.enterprise.items import Item, value_filters
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.filters import in_intervals
from akeneo_pipeline.sandbox.paging import decode_cursor, encode_cursor, link

API = "/api/rest/v1"
SEGMENTS = ("reference-entities", "asset-families")
ENTITIES_PAGE, RECORDS_PAGE, FAMILIES_PAGE, ASSETS_PAGE = 100, 100, 200, 100
# App scopes (Akeneo's docs page apps_authentication-and-authorization.md, "Available authorization scopes":
# read_reference_entities, read_reference_entity_records, read_asset_families, read_assets, all EE; the
# Enterprise ReferenceEntityScopeMapper names the same: SCOPE_READ_REFERENCE_ENTITIES = 'read_reference_entities',
# SCOPE_READ_REFERENCE_ENTITY_RECORDS = 'read_reference_entity_records')
SCOPES = {("reference-entities", False): "read_reference_entities",
          ("reference-entities", True): "read_reference_entity_records",
          ("asset-families", False): "read_asset_families", ("asset-families", True): "read_assets"}


def required_scope(rest: str, config: SandboxConfig | None = None) -> str | None:
    """None: not an Enterprise path; "": a path the edition played has no route for."""
    parts = rest.split("/")
    if parts[0] not in SEGMENTS:
        return None
    if config is not None:
        played = edition(config.edition)
        if not (played.reference_entities if parts[0] == "reference-entities" else played.assets):
            return ""
    return SCOPES[(parts[0], len(parts) >= 3 and parts[2] in ("records", "assets"))]


def no_route(rest: str) -> ApiError:
    return ApiError(404, f"No route found for 'GET {API}/{rest}'")


def dispatch(catalog: Any, base: str, rest: str, query: dict[str, list[str]], config: SandboxConfig) -> Any:
    """The answer for `GET /api/rest/v1/<rest>` under reference-entities or asset-families."""
    ee = catalog.enterprise
    parts = [unquote(p) for p in rest.split("/")]
    kind = parts[0]
    if (kind == "reference-entities" and not ee.edition.reference_entities) or (
            kind == "asset-families" and not ee.edition.assets):
        raise no_route(rest)
    with catalog.lock:
        if kind == "reference-entities":
            return reference_entities(catalog, base, rest, parts, query, config)
        return asset_families(catalog, base, rest, parts, query, config)


def reference_entities(catalog: Any, base: str, rest: str, parts: list[str], query: dict[str, list[str]],
                       config: SandboxConfig) -> Any:
    ee = catalog.enterprise
    if len(parts) == 1:
        entities = [ee.reference_entities[c] for c in sorted(ee.reference_entities)]
        return page(base, f"{API}/reference-entities", query, entities, lambda e: e.code, ENTITIES_PAGE,
                    lambda e: ee.entity_item(e, base, True), carried=())
    entity = ee.reference_entities.get(parts[1])
    if entity is None:
        raise ApiError(404, f'Reference entity "{parts[1]}" does not exist.')
    if len(parts) == 2:
        return ee.entity_item(entity, base, False)
    path = f"{API}/reference-entities/{quote(entity.code)}"
    if parts[2] == "attributes" and len(parts) <= 6:
        return attributes(base, path, parts[3:], entity.attributes, entity.options,
                          f'for the reference entity "{entity.code}"', rest)
    if parts[2] == "records" and len(parts) == 3:
        updated, codes = filters.parse(last(query, "search"), "record", config.akeneo_version, int(time.time()))
        channel, locales = value_filters(query)
        return page(base, f"{path}/records", query, entity.records, None, RECORDS_PAGE,
                    lambda r: ee.record_item(entity, r, catalog.zone, base, channel, locales, in_list=True),
                    keep=keep(updated, codes))
    if parts[2] == "records" and len(parts) == 4:
        record = entity.records.get(parts[3])
        if record is None:
            raise ApiError(404, f'Record "{parts[3]}" does not exist for the reference entity "{entity.code}".')
        return ee.record_item(entity, record, catalog.zone, base)
    raise no_route(rest)


def asset_families(catalog: Any, base: str, rest: str, parts: list[str], query: dict[str, list[str]],
                   config: SandboxConfig) -> Any:
    ee = catalog.enterprise
    if len(parts) == 1:
        families = [ee.asset_families[c] for c in sorted(ee.asset_families)]
        return page(base, f"{API}/asset-families", query, families, lambda f: f.code, FAMILIES_PAGE,
                    lambda f: ee.family_item(f, base, True), carried=())
    family = ee.asset_families.get(parts[1])
    if family is None:
        raise ApiError(404, f'Asset family "{parts[1]}" does not exist.')
    if len(parts) == 2:
        return ee.family_item(family, base, False)
    path = f"{API}/asset-families/{quote(family.code)}"
    if parts[2] == "attributes" and len(parts) <= 6:
        return attributes(base, path, parts[3:], family.attributes, family.options,
                          f'for the asset family "{family.code}"', rest)
    if parts[2] == "assets" and len(parts) == 3:
        updated, codes = filters.parse(last(query, "search"), "asset", config.akeneo_version, int(time.time()))
        channel, locales = value_filters(query)
        return page(base, f"{path}/assets", query, family.assets, None, ASSETS_PAGE,
                    lambda a: ee.asset_item(family, a, catalog.zone, base, channel, locales, in_list=True),
                    keep=keep(updated, codes))
    if parts[2] == "assets" and len(parts) == 4:
        asset = family.assets.get(parts[3])
        if asset is None:
            raise ApiError(404, f'Asset "{parts[3]}" does not exist for the asset family "{family.code}".')
        return ee.asset_item(family, asset, catalog.zone, base)
    raise no_route(rest)


def attributes(base: str, path: str, rest: list[str], attrs: list[dict[str, Any]],
               options: dict[str, list[dict[str, Any]]], owner: str, full: str) -> Any:
    """`.../attributes[/{code}[/options[/{option}]]]`: plain arrays and get-ones."""
    if not rest:
        return [{"_links": {"self": {"href": f"{base}{path}/attributes/{quote(a['code'])}"}}, **a} for a in attrs]
    attr = next((a for a in attrs if a["code"] == rest[0]), None)
    if attr is None:
        raise ApiError(404, f'Attribute "{rest[0]}" does not exist {owner}.')
    if len(rest) == 1:
        return dict(attr)
    if rest[1] != "options":
        raise no_route(full)
    if attr["type"] not in ("single_option", "multiple_options"):
        raise ApiError(404, f'Attribute "{attr["code"]}" {owner} has no options: it is a {attr["type"]} attribute.')
    attr_options = options.get(attr["code"], [])
    if len(rest) == 2:
        return [dict(o) for o in attr_options]
    option = next((o for o in attr_options if o["code"] == rest[2]), None)
    if option is None:
        raise ApiError(404, f'Option "{rest[2]}" does not exist for the attribute "{attr["code"]}" {owner}.')
    return dict(option)


def keep(updated: Any, codes: set[str] | None) -> Any:
    def accept(item: Item) -> bool:
        return (updated is None or in_intervals(item.updated, updated)) and (codes is None or item.code in codes)
    return accept


def last(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def page(base: str, path: str, query: dict[str, list[str]], source: Any, code_of: Any, size: int,
         render: Any, keep: Any = None, carried: tuple[str, ...] = ("channel", "locales", "search")) -> dict[str, Any]:
    """One search_after page of `source` (an ItemStore, or a code-ordered list with `code_of`)."""
    raw = last(query, "search_after")
    after = decode_cursor(raw) if raw else None
    if code_of is None:
        chosen = source.page(after, size, keep or (lambda _: True))
    else:
        chosen = [x for x in source if after is None or code_of(x) > after][:size]
    params = [(k, last(query, k) or "") for k in carried if last(query, k)]
    links = {"self": link(base, path, params + ([("search_after", raw)] if raw else [])),
             "first": link(base, path, params)}
    if len(chosen) == size:
        final = chosen[-1].code if code_of is None else code_of(chosen[-1])
        links["next"] = link(base, path, params + [("search_after", encode_cursor(final))])
    return {"_links": links, "_embedded": {"items": [render(x) for x in chosen]}}
