"""`/products-uuid`, `/products` and `/product-models`: offset and search_after pages,
filters, the `attributes` value projection and get-one."""

from __future__ import annotations

import json
import time
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.filters import parse_item_filter, parse_search
from akeneo_pipeline.sandbox.paging import (
    offset_envelope,
    offset_slice,
    parse_page_request,
    query_value,
    search_after_envelope,
)
from akeneo_pipeline.sandbox.products import uuid_str

PRODUCTS = "/api/rest/v1/products-uuid"
PRODUCTS_BY_IDENTIFIER = "/api/rest/v1/products"
MODELS = "/api/rest/v1/product-models"
IDENTIFIER_ATTRIBUTE = "sku"  # the catalog's pim_catalog_identifier attribute (structure.py)


def cache_key(raw: str | None) -> str:
    """One key per meaning of the search, so equivalent URLs share the cached match list."""
    key = json.dumps(parse_search(raw), sort_keys=True)
    return key + (f"@{int(time.time()) // 60}" if "SINCE" in key else "")


def project(item: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
    """Keep only the values of the `attributes` query parameter, when it is given."""
    raw = query.get("attributes")
    if raw:
        wanted = {a for a in raw[-1].split(",") if a}
        item["values"] = {k: v for k, v in item["values"].items() if k in wanted}
    return item


def list_products(catalog: Catalog, base: str, query: dict[str, list[str]],
                  cache_bytes: bool = False) -> dict[str, Any]:
    """A page of /products-uuid; `cache_bytes` (item_bytes.py) when nothing reshapes the items."""
    req = parse_page_request(query, search_after_allowed=True)
    raw = query_value(query, "search")
    f = parse_item_filter(raw, int(time.time()), clock=catalog.clock)
    with catalog.lock:
        keys = catalog.product_keys(f, cache_key(raw))
        uuids = catalog.products.uuid
        chosen: Sequence[int]
        if req.search_after_mode:
            start = 0
            if req.search_after is not None:
                try:
                    after = int(req.search_after.replace("-", ""), 16)
                except ValueError:
                    raise ApiError(422, "The search_after cursor is not valid: follow _links.next.href.") from None
                start = bisect_right(keys, after, key=uuids.__getitem__)
            chosen = keys[start:start + req.limit]
        else:
            chosen = offset_slice(req, keys, capped=True)
        def item(i: int) -> dict[str, Any]:
            return with_link(project(catalog.product(i), query), base, PRODUCTS, uuid_str(uuids[i]))

        cached = (catalog.item_bytes.page(catalog.generation, base, chosen, item)
                  if cache_bytes and not query.get("attributes") else None)
        items: list[Any] = cached if cached is not None else [item(i) for i in chosen]
        last = uuid_str(uuids[chosen[-1]]) if chosen else None  # each item's "uuid" (products.product_item)
        total = len(keys) if req.with_count and not req.search_after_mode else None
    if req.search_after_mode:
        return search_after_envelope(base, PRODUCTS, req, items, last)
    return offset_envelope(base, PRODUCTS, req, items, total)


def list_product_models(catalog: Catalog, base: str, query: dict[str, list[str]]) -> dict[str, Any]:
    req = parse_page_request(query, search_after_allowed=True)
    raw = query_value(query, "search")
    f = parse_item_filter(raw, int(time.time()), models=True, clock=catalog.clock)
    with catalog.lock:
        keys = catalog.product_model_keys(f, cache_key(raw))
        codes = catalog.models.code
        chosen: Sequence[int]
        if req.search_after_mode:
            start = 0 if req.search_after is None else bisect_right(keys, req.search_after, key=codes.__getitem__)
            chosen = keys[start:start + req.limit]
        else:
            chosen = offset_slice(req, keys, capped=True)
        items = [with_link(project(catalog.product_model(m), query), base, MODELS, codes[m]) for m in chosen]
        total = len(keys) if req.with_count and not req.search_after_mode else None
    if req.search_after_mode:
        return search_after_envelope(base, MODELS, req, items, items[-1]["code"] if items else None)
    return offset_envelope(base, MODELS, req, items, total)


def get_product(catalog: Catalog, uuid: str, query: dict[str, list[str]]) -> dict[str, Any]:
    i = catalog.find_product(uuid)
    if i is None:
        raise ApiError(404, f'Product "{uuid}" does not exist or you do not have permission to access it.')
    return project(catalog.product(i), query)


def get_product_model(catalog: Catalog, code: str, query: dict[str, list[str]]) -> dict[str, Any]:
    model = catalog.find_product_model(code)
    if model is None:
        raise ApiError(404, f'Product model "{code}" does not exist or you do not have permission to access it.')
    return project(catalog.product_model(model), query)


def with_link(item: dict[str, Any], base: str, path: str, key: str) -> dict[str, Any]:
    return {"_links": {"self": {"href": f"{base}{path}/{quote(key, safe='')}"}}, **item}


# ---- /products: keyed by identifier (every version; the only product list of Akeneo 6) ----

def identifier_of(item: dict[str, Any]) -> str:
    """The product's identifier: its (non-localised, non-scoped) identifier attribute value."""
    for value in item["values"].get(IDENTIFIER_ATTRIBUTE, []):
        if value["locale"] is None and value["scope"] is None:
            return str(value["data"])
    raise ApiError(500, "sandbox product without an identifier value")


def identifier_form(item: dict[str, Any], identifier: str) -> dict[str, Any]:
    """A product as `/products` serves it: pim-community-dev's ConnectorProductNormalizer
    (src/Akeneo/Pim/Enrichment/Component/Product/Normalizer/ExternalApi/ConnectorProductNormalizer.php)
    writes `identifier` first, no `uuid`, and removes the identifier attribute's value
    from `values` (removeIdentifierValue); the Swagger file's `/products` examples
    (x-examples-per-version 1.7 to 5.0) show the same shape. The uuid form, by contrast,
    has `uuid` and keeps the value (ConnectorProductWithUuidNormalizer)."""
    values = {k: v for k, v in item["values"].items() if k != IDENTIFIER_ATTRIBUTE}
    rest = {k: v for k, v in item.items() if k not in ("uuid", "values", "associations", "quantified_associations")}
    return {"identifier": identifier, **{k: rest[k] for k in ("enabled", "family", "categories", "groups", "parent")},
            "values": values, "created": rest["created"], "updated": rest["updated"],
            "associations": item["associations"], "quantified_associations": item["quantified_associations"]}


def list_products_by_identifier(catalog: Catalog, base: str, query: dict[str, list[str]]) -> dict[str, Any]:
    """The same filters and paging as `/products-uuid`; search_after walks identifier order
    (the pagination doc: "sorted by product primary key"; the cursor stays opaque)."""
    req = parse_page_request(query, search_after_allowed=True)
    raw = query_value(query, "search")
    f = parse_item_filter(raw, int(time.time()))
    if f.uuid_in is not None or f.uuid_not_in:
        raise ApiError(422, 'Filter on property "uuid" is not supported or does not support operator "IN"')
    with catalog.lock:
        keys = catalog.product_keys_by_identifier(f, cache_key(raw))
        chosen: Sequence[int]
        if req.search_after_mode:
            start = 0
            if req.search_after is not None:
                start = bisect_right(keys, req.search_after, key=catalog.product_identifier)
            chosen = keys[start:start + req.limit]
        else:
            chosen = offset_slice(req, keys, capped=True)
        items = []
        for i in chosen:
            product = catalog.product(i)
            identifier = identifier_of(product)
            items.append(with_link(identifier_form(project(product, query), identifier), base,
                                   PRODUCTS_BY_IDENTIFIER, identifier))
        total = len(keys) if req.with_count and not req.search_after_mode else None
    if req.search_after_mode:
        return search_after_envelope(base, PRODUCTS_BY_IDENTIFIER, req, items,
                                     items[-1]["identifier"] if items else None)
    return offset_envelope(base, PRODUCTS_BY_IDENTIFIER, req, items, total)


def get_product_by_identifier(catalog: Catalog, identifier: str, query: dict[str, list[str]]) -> dict[str, Any]:
    i = catalog.find_product_by_identifier(identifier)
    if i is None:
        raise ApiError(404, f'Product "{identifier}" does not exist or you do not have permission to access it.')
    product = catalog.product(i)
    return identifier_form(project(product, query), identifier_of(product))
