"""`/api/rest/v1/catalogs...`: the App catalog endpoints of the SaaS Swagger (app-catalogs/*.yaml),
answered as pim-community-dev's controllers answer them
(components/catalogs/back/src/Infrastructure/Controller/Public/, routes in
Infrastructure/Symfony/Resources/config/routing/public.yml).

    GET    /catalogs                        GetCatalogsAction        read_catalogs
    POST   /catalogs                        CreateCatalogAction      write_catalogs      201
    GET    /catalogs/{id}                   GetCatalogAction         read_catalogs
    PATCH  /catalogs/{id}                   UpdateCatalogAction      write_catalogs
    DELETE /catalogs/{id}                   DeleteCatalogAction      delete_catalogs     204
    GET    /catalogs/{id}/products          GetProductsAction        read_catalogs + read_products
    GET    /catalogs/{id}/product-uuids     GetProductUuidsAction    read_catalogs + read_products
    GET    /catalogs/{id}/products/{uuid}   GetProductAction         read_catalogs + read_products

Access (Infrastructure/Security/): each scope grants ACLs (CatalogScopeMapper: read_catalogs ->
pim_api_catalog_list, write_catalogs -> pim_api_catalog_edit, delete_catalogs ->
pim_api_catalog_remove, and SCOPE_HIERARCHY: write includes read, delete includes read and
write); a missing one is a 403 with DenyAccessUnlessGrantedTrait's message. The three ACLs are
`visible: false, enabled_at_creation: false` (Symfony/Resources/config/acl.yml): no role of an
API connection can hold them, so a connection token gets the same 403s; only App tokens
(authorization-code flow) reach catalogs. A catalog of another App is a 404, as is one that
does not exist (denyAccessUnlessOwnerOfCatalog).

Order within a call: the route and method, Content-Type on POST/PATCH (rest-api_responses.md,
415), the ACLs, the catalog (404), its owner (404), the query's validation (422, Symfony
constraints of ServiceAPI/Query/*.php, normalized by ViolationNormalizer), then the handler:
disabled -> HTTP 200 `{"error": ...}` (the guide's Troubleshooting; the text is the
controllers': GetProductsAction / GetProductUuidsAction write the id bare and "on the PIM
side", GetProductAction quotes it and says "on PIM side"; the guide's example quotes it).

Product pages (GetProductsAction::paginate, GetProductUuidsQuery): search_after over the
product uuid (the PQB sorts by `id` = `product_<uuid>`, ascending; the cursor is the last
uuid of the page, not an opaque token), `limit` 1..1,000 (default 100), `next` whenever a page
is full, absolute links carrying `search_after`, `limit`, `updated_after`, `updated_before`.
Their parameters' parsing and validation (limits, `updated_after` / `updated_before` as ISO 8601
dates): app_catalog_query.py.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.app_catalog_query import (
    MAX_CATALOG_LIMIT,
    NOT_UUID,
    UUID,
    json_body,
    page_request,
    php_int,
    query_value,
    violations,
)
from akeneo_pipeline.sandbox.app_catalogs import AppCatalog, CatalogViolations
from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.paging import link
from akeneo_pipeline.sandbox.products import uuid_str
from akeneo_pipeline.sandbox.routes import has_scope

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.server import SandboxServer

API = "/api/rest/v1"
CATALOGS = f"{API}/catalogs"

# Catalog scope -> the ACLs it grants (CatalogScopeMapper, with its hierarchy).
CATALOG_ACLS = {"read_catalogs": {"list"}, "write_catalogs": {"edit", "list"},
                "delete_catalogs": {"remove", "edit", "list"}}
DENIED = {"list": "Access forbidden. You are not allowed to access app catalogs.",
          "edit": "Access forbidden. You are not allowed to edit app catalogs.",
          "remove": "Access forbidden. You are not allowed to delete app catalogs.",
          "products": "Access forbidden. You are not allowed to access products."}
LIST_DISABLED = ("No products to synchronize. The catalog {id} has been disabled on the PIM side. "
                 "Note that you can get catalogs status with the GET /api/rest/v1/catalogs endpoint.")
ONE_DISABLED = ('No products to synchronize. The catalog "{id}" has been disabled on PIM side. '
                "Note that you can get catalogs status with the GET /api/rest/v1/catalogs endpoint.")
NOT_FOUND = "Catalog \"{id}\" does not exist or you can't access it."
PRODUCT_NOT_FOUND = ("Either catalog \"{id}\" does not exist or you can't access it, or product \"{uuid}\" "
                     "does not exist or you do not have permission to access it.")

# (shape, methods): path segments after `catalogs`, "*" standing for an id.
SHAPES: list[tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = [
    ((), {"GET": ("list",), "POST": ("edit",)}),
    (("*",), {"GET": ("list",), "PATCH": ("edit",), "DELETE": ("remove",)}),
    (("*", "products"), {"GET": ("list", "products")}),
    (("*", "product-uuids"), {"GET": ("list", "products")}),
    (("*", "products", "*"), {"GET": ("list", "products")}),
]


@dataclass(frozen=True)
class CatalogCall:
    method: str
    shape: tuple[str, ...]
    catalog_id: str | None = None
    product_uuid: str | None = None


def serves(rest: str, akeneo_version: int) -> bool:
    """Whether `GET|POST|... /api/rest/v1/<rest>` is a catalog endpoint. Catalogs are SaaS only
    (`x-versions: ["SaaS"]`); the sandbox's Akeneo 7 plays the 7.x/SaaS routes, its 6 has none."""
    return akeneo_version >= 7 and (rest == "catalogs" or rest.startswith("catalogs/"))


def resolve(method: str, rest: str, base: str, headers: Any, scopes: frozenset[str] | None) -> CatalogCall:
    """Route, method, Content-Type and ACL checks, before the call takes a throttling slot."""
    parts = rest.split("/")[1:]
    found = next(((shape, methods) for shape, methods in SHAPES if len(shape) == len(parts)
                  and all(s == "*" or s == p for s, p in zip(shape, parts, strict=True))), None)
    if found is None:
        raise ApiError(404, f"No route found for '{method} {API}/{rest}'")
    shape, methods = found
    if method not in methods:
        raise ApiError(405, f'No route found for "{method} {base}{API}/{rest}": Method Not Allowed '
                            f'(Allow: {", ".join(methods)})')
    if method in ("POST", "PATCH"):
        content_type = headers.get("Content-Type")
        if not content_type:
            raise ApiError(415, "The 'Content-type' header is missing. 'application/json' has to specified as value.")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise ApiError(415, f"'{content_type}' in 'Content-type' header is not valid.  Only 'application/json' "
                                "is allowed.")
    acls = set().union(*(CATALOG_ACLS.get(s, set()) for s in scopes or ()))
    for needed in methods[method]:
        granted = (scopes is not None and has_scope(scopes, "read_products")) if needed == "products" \
            else needed in acls
        if not granted:
            raise ApiError(403, DENIED[needed])
    ids = [p for s, p in zip(shape, parts, strict=True) if s == "*"]
    return CatalogCall(method, shape, ids[0] if ids else None, ids[1] if len(ids) > 1 else None)


def answer(sandbox: SandboxServer, call: CatalogCall, query: dict[str, list[str]],
           raw: bytes) -> tuple[int, Any]:
    """(status, body) of a resolved catalog call; errors raise ApiError."""
    store, base = sandbox.app_catalogs, sandbox.public_url
    owner = sandbox.config.app_client_id  # every App token of the sandbox is its one App's
    try:
        if call.shape == ():
            if call.method == "POST":
                body = json_body(raw)
                created = store.create(body.get("name"), owner, body.get("managed_currencies"),
                                       body.get("managed_locales"))
                return 201, created.public()
            return 200, _catalog_list(sandbox, owner, query)
        assert call.catalog_id is not None
        if call.shape == ("*",):
            if call.method == "GET" and not UUID.match(call.catalog_id):
                raise violations([{"property": "id", "message": NOT_UUID}])  # GetCatalogAction
            found = _owned(sandbox, call.catalog_id, owner, NOT_FOUND.format(id=call.catalog_id))
            if call.method == "GET":
                return 200, found.public()
            if call.method == "PATCH":
                body = json_body(raw)
                return 200, store.update(found.id, body.get("name"), body.get("managed_currencies")).public()
            store.delete(found.id)
            return 204, None
        if call.shape == ("*", "products", "*"):
            return 200, _one_product(sandbox, call.catalog_id, str(call.product_uuid), owner)
        found = _owned(sandbox, call.catalog_id, owner, NOT_FOUND.format(id=call.catalog_id))
        return 200, _product_page(sandbox, found, call.shape[1], query, base)
    except CatalogViolations as exc:
        raise violations(exc.errors) from None



def _owned(sandbox: SandboxServer, catalog_id: str, owner: str, message: str) -> AppCatalog:
    found = sandbox.app_catalogs.find(catalog_id) if UUID.match(catalog_id) else None
    if found is None or found.owner != owner:
        raise ApiError(404, message)
    return found



def _catalog_list(sandbox: SandboxServer, owner: str, query: dict[str, list[str]]) -> dict[str, Any]:
    """GetCatalogsAction: offset pages through OffsetHalPaginator (each item with its `self`
    link, `next` when the page is full); a bad page or limit is a bare 400
    (`throw new BadRequestHttpException()`, no message)."""
    page, limit = php_int(query_value(query, "page"), 1), php_int(query_value(query, "limit"), MAX_CATALOG_LIMIT)
    if page < 1 or not 1 <= limit <= MAX_CATALOG_LIMIT:
        raise ApiError(400, "")
    base = sandbox.public_url
    owned = sandbox.app_catalogs.owned(owner)[(page - 1) * limit:page * limit]
    items = [{"_links": {"self": {"href": f"{base}{CATALOGS}/{c.id}"}}, **c.public()} for c in owned]

    def at(n: int) -> dict[str, str]:
        return link(base, CATALOGS, [("page", str(n)), ("limit", str(limit))])

    links = {"self": at(page), "first": at(1)}
    if page > 1:
        links["previous"] = at(page - 1)
    if len(items) >= limit:
        links["next"] = at(page + 1)
    return {"_links": links, "current_page": page, "_embedded": {"items": items}}



def _disabled(sandbox: SandboxServer, found: AppCatalog) -> bool:
    """The handler's two checks: disabled already, or invalid now (and so disabled on this read)."""
    return not found.enabled or sandbox.app_catalogs.disable_if_invalid(found)


def _product_page(sandbox: SandboxServer, found: AppCatalog, kind: str, query: dict[str, list[str]],
                  base: str) -> dict[str, Any]:
    search_after, limit, after, before, window = page_request(query)
    if _disabled(sandbox, found):
        return {"error": LIST_DISABLED.format(id=found.id)}
    catalog = sandbox.catalog
    with catalog.lock:
        keys = sandbox.app_catalogs.selected(found, window)
        uuids = catalog.products.uuid
        # `search_after` = "product_<uuid>" after the last one served, ids sorted as text (= uuid order).
        start = bisect_right(keys, int(search_after.replace("-", ""), 16), key=uuids.__getitem__) if search_after else 0
        chosen = keys[start:start + limit]
        page_uuids = [uuid_str(uuids[i]) for i in chosen]
        items: list[Any] = page_uuids if kind == "product-uuids" else [catalog.product(i) for i in chosen]
    path = f"{CATALOGS}/{found.id}/{kind}"

    def href(cursor: str | None) -> dict[str, str]:
        params = [(k, v) for k, v in (("search_after", cursor), ("limit", str(limit)), ("updated_after", after),
                                      ("updated_before", before)) if v is not None]
        return link(base, path, params)

    links = {"self": href(search_after), "first": href(None)}
    if page_uuids and len(page_uuids) >= limit:
        links["next"] = href(page_uuids[-1])
    return {"_links": links, "_embedded": {"items": items}}


def _one_product(sandbox: SandboxServer, catalog_id: str, product_uuid: str, owner: str) -> dict[str, Any]:
    """GetProductAction: 404s name both the catalog and the product; a product outside the
    selection is a 404 (IsProductBelongingToCatalogQuery)."""
    missing = PRODUCT_NOT_FOUND.format(id=catalog_id, uuid=product_uuid)
    found = sandbox.app_catalogs.find(catalog_id) if UUID.match(catalog_id) else None
    if found is None:
        raise ApiError(404, missing)
    if found.owner != owner:
        raise ApiError(404, NOT_FOUND.format(id=found.id))
    if not UUID.match(product_uuid):
        raise violations([{"property": "product_uuid", "message": NOT_UUID}])
    if _disabled(sandbox, found):
        return {"error": ONE_DISABLED.format(id=catalog_id)}
    catalog = sandbox.catalog
    with catalog.lock:
        i = catalog.find_product(product_uuid)
        if i is None or i not in sandbox.app_catalogs.selected(found):
            raise ApiError(404, missing)
        return catalog.product(i)
