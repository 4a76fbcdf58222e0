"""REST API routing under `/api/rest/v1`: which endpoint a path is, the read scope an
App token needs for it, and the catalog-structure lists and get-ones."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from akeneo_pipeline.sandbox import product_routes as pr
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.enterprise import routes as enterprise_routes
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.filters import parse_search, parse_structure_filter, unsupported
from akeneo_pipeline.sandbox.paging import offset_envelope, offset_slice, parse_page_request, query_value
from akeneo_pipeline.sandbox.reshape import paged

API = "/api/rest/v1"
# url segment -> (stream, read scope, label for 404s, supports `updated >` / `code IN`)
STRUCTURE = {
    "channels": ("channels", "read_channel_settings", "Channel", False),
    "locales": ("locales", "read_channel_localization", "Locale", False),
    "currencies": ("currencies", "read_channel_localization", "Currency", False),
    "attribute-groups": ("attribute_groups", "read_catalog_structure", "Attribute group", True),
    "attributes": ("attributes", "read_catalog_structure", "Attribute", True),
    "families": ("families", "read_catalog_structure", "Family", True),
    "categories": ("categories", "read_categories", "Category", True),
    "association-types": ("association_types", "read_association_types", "Association type", False),
}
OPTIONS = re.compile(r"^attributes/([^/]+)/options(?:/([^/]+))?$")
VARIANTS = re.compile(r"^families/([^/]+)/variants(?:/([^/]+))?$")


def required_scope(rest: str, config: SandboxConfig | None = None) -> str:
    """The read scope an App token needs for `rest`; "" when the path is no route of the edition played,
    so it answers 404 "No route found" rather than 403 (the router matches before the firewall checks)."""
    head = rest.split("/", 1)[0]
    if (scope := enterprise_routes.required_scope(rest, config)) is not None:
        return scope
    if OPTIONS.match(rest):
        return "read_attribute_options"
    if head in ("products-uuid", "products", "product-models"):
        return "read_products"
    if head == "measurement-families":
        return "read_catalog_structure"
    return STRUCTURE[head][1] if head in STRUCTURE else "read_catalog_structure"


def has_scope(scopes: frozenset[str] | None, needed: str) -> bool:
    return scopes is None or not needed or needed in scopes or needed.replace("read_", "write_", 1) in scopes


def dispatch(catalog: Catalog, base: str, rest: str, query: dict[str, list[str]],
             config: SandboxConfig | None = None) -> Any:
    """The JSON answer for `GET /api/rest/v1/<rest>`, or ApiError.

    `/products-uuid` exists from Akeneo 7.0 (Swagger `x-versions: ["7.0"]`); `/products`,
    keyed by identifier, on every version (1.7 to 7.0), so an Akeneo 6 answers only that.
    """
    version = config.akeneo_version if config is not None else 7
    parts = [unquote(p) for p in rest.split("/")]
    if parts[0] in enterprise_routes.SEGMENTS and config is not None:  # reference entities, Asset Manager
        return enterprise_routes.dispatch(catalog, base, rest, query, config)
    if parts[0] == "products-uuid" and len(parts) <= 2 and version >= 7:
        if len(parts) == 2:
            return pr.get_product(catalog, parts[1], query)
        cache = config is not None and config.item_byte_cache and not (config.omit_null_fields or config.relative_links)
        return pr.list_products(catalog, base, query, cache_bytes=cache)
    if parts[0] == "products" and len(parts) <= 2:
        if len(parts) == 1:
            return pr.list_products_by_identifier(catalog, base, query)
        return pr.get_product_by_identifier(catalog, parts[1], query)
    if parts[0] == "product-models" and len(parts) <= 2:
        if len(parts) == 1:
            return pr.list_product_models(catalog, base, query)
        return pr.get_product_model(catalog, parts[1], query)
    if rest == "measurement-families":
        if config is not None and config.measurement_families_paged:
            return paged(base, f"{API}/measurement-families", catalog.items("measurement_families"), query)
        return catalog.items("measurement_families")
    if m := OPTIONS.match(rest):
        attribute, code = unquote(m.group(1)), m.group(2) and unquote(m.group(2))
        if not any(a["code"] == attribute for a in catalog.items("attributes")):
            raise ApiError(404, f'Attribute "{attribute}" does not exist.')
        items = catalog.options_of(attribute)
        items.sort(key=lambda o: o["code"])  # AttributeOptionController::listAction: ['code' => 'ASC'], by offset
        return listing(base, f"{API}/attributes/{quote(attribute)}/options", items, code, "Attribute option", query)
    if m := VARIANTS.match(rest):
        family, code = unquote(m.group(1)), m.group(2) and unquote(m.group(2))
        if not any(f["code"] == family for f in catalog.items("families")):
            raise ApiError(404, f'Family "{family}" does not exist.')
        items = [{k: v for k, v in fv.items() if k != "family"}
                 for fv in catalog.items("family_variants") if fv["family"] == family]
        return listing(base, f"{API}/families/{quote(family)}/variants", items, code, "Family variant", query)
    if parts[0] in STRUCTURE and len(parts) <= 2:
        stream, _, label, filterable = STRUCTURE[parts[0]]
        items = catalog.items(stream)
        if stream == "attributes":  # pim-community-dev AttributeController::listAction pages by offset over
            items.sort(key=lambda a: a["code"])  # searchAfterOffset(..., ['code' => 'ASC'], limit, offset)
        # A category's `position` comes only with `with_position=true` (Swagger: the query parameter of
        # /categories and /categories/{code}, "only available since the 7.0 version"; pim-community-dev's
        # ListCategoriesController and GetCategoryController read it with getBoolean, and
        # ExternalApiCategory::normalize adds `position` only when it is set).
        if stream == "categories" and not query_flag(query, "with_position"):
            items = [{k: v for k, v in item.items() if k != "position"} for item in items]
        # Table select columns' options only with `with_table_select_options=true`, from 7.0 (Swagger;
        # enterprise/table_attributes.py).
        if stream == "attributes" and query_flag(query, "with_table_select_options") and version >= 7:
            items = [catalog.enterprise.with_select_options(item) for item in items]
        if len(parts) == 1:
            items = structure_filter(catalog, items, parts[0], filterable, query)
        return listing(base, f"{API}/{parts[0]}", items, parts[1] if len(parts) == 2 else None, label, query)
    raise ApiError(404, f"No route found for 'GET {API}/{rest}'")


def query_flag(query: dict[str, list[str]], name: str) -> bool:
    """A boolean query parameter as Symfony's `Request::getBoolean` reads it ("1", "true", "on", "yes")."""
    return (query.get(name) or [""])[-1].strip().lower() in ("1", "true", "on", "yes")


def structure_filter(catalog: Catalog, items: list[dict], segment: str, filterable: bool,
                     query: dict[str, list[str]]) -> list[dict]:
    raw = query_value(query, "search")
    if filterable:
        after, codes = parse_structure_filter(raw, catalog.clock)
        return [i for i in items if (after is None or _instant(i["updated"]) > after)
                and (codes is None or i["code"] in codes)]
    for prop, conditions in parse_search(raw).items():
        for cond in conditions:
            if segment in ("locales", "currencies") and prop == "enabled" and cond["operator"] == "=":
                items = [i for i in items if i["enabled"] == cond.get("value")]
            else:
                raise unsupported(prop, cond["operator"])
    return items


def _instant(stamp: str) -> int:
    """Epoch second of a rendered stamp; stamps carry offsets that differ across DST, so text order is not
    time order."""
    return int(datetime.fromisoformat(stamp).timestamp())


def listing(base: str, path: str, items: list[dict], code: str | None, label: str,
            query: dict[str, list[str]]) -> dict[str, Any]:
    """Get-one when `code` is given, else an offset page of `items`."""
    if code is not None:
        for item in items:
            if item["code"] == code:
                return item
        raise ApiError(404, f'{label} "{code}" does not exist.')
    req = parse_page_request(query, search_after_allowed=False)
    page = [pr.with_link(i, base, path, i["code"]) for i in offset_slice(req, items, capped=False)]
    return offset_envelope(base, path, req, page, len(items) if req.with_count else None)
