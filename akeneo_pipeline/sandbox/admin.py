"""The admin API under `/_sandbox/` (a prefix real Akeneo does not use): the same
mutations and knobs as the Python API, for the demo and for tools outside the
test process. No authentication; it never fails on purpose; bodies are JSON.

    GET  /_sandbox/log                        {"entries": [RequestLogEntry...]}
    POST /_sandbox/log/clear
    GET  /_sandbox/stats                      generation counters, injected faults, peak in-flight calls
    POST /_sandbox/configure                  {"latency_ms": 50, "fault_rate": 0.1, ...} (SandboxConfig names)
    POST /_sandbox/products/update            {"n": 10} or {"uuids": [...]}, "at"?: epoch second -> {"uuids": [...]}
    POST /_sandbox/products/create            {"n": 10}          -> {"uuids": [...]}
    POST /_sandbox/products/delete            {"n": 10}          -> {"uuids": [...]}
    POST /_sandbox/products/restore           {"uuids": [...]}
    POST /_sandbox/product-models/update      {"n": 3} or {"codes": [...]}, "at"?: epoch second -> {"codes": [...]}
    POST /_sandbox/attribute-options/add      {"attribute", "code", "labels", "sort_order"?}
    POST /_sandbox/attribute-options/relabel  {"attribute", "code", "locale", "label"}  (label null removes it)
    POST /_sandbox/attribute-options/remove   {"attribute", "code"}
    POST /_sandbox/attribute-options/reorder  {"attribute", "code", "sort_order"}
    POST /_sandbox/attributes/add             {"code", "type", "group"?, "localizable"?, "scopable"?, ...}
    POST /_sandbox/attributes/remove          {"code"}           (an attribute no family uses, with its options)
    POST /_sandbox/reference-entity-records/add|relabel|update|remove, /_sandbox/assets/add|update|remove,
         /_sandbox/table-select-options/add|relabel|remove   Enterprise edits: see sandbox/enterprise/admin.py
    POST /_sandbox/password                   {"new_password"}
    POST /_sandbox/app-tokens/revoke          -> {"revoked": n}
    GET  /_sandbox/catalogs, /_sandbox/catalogs/<id>        App catalogs' states, the products they select
    POST /_sandbox/catalogs/create|selection|enable|disable  a PIM user's catalog actions
    POST /_sandbox/categories/remove          {"code", "run_job"?}  (with its subtree; app_catalog_admin.py)
    POST /_sandbox/schedule                   {"path": regex, "after": n, "mutation": route, "body"?: {...}}
    GET  /_sandbox/schedule                   {"pending": [...], "applied": [...]}
    POST /_sandbox/schedule/clear

`schedule` applies any POST route above (but the schedule's own) once, after the
n-th REST request whose path fully matches `path` was answered 200 and before
that answer is sent: an edit between two pages of a client's read (schedule.py).
For example `{"path": "/api/rest/v1/attributes/color/options", "after": 1,
"mutation": "attribute-options/remove", "body": {"attribute": "color", "code": "black"}}`.

Bad input answers 422 `{"code": 422, "message": ...}` naming the cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox import app_catalog_admin
from akeneo_pipeline.sandbox.enterprise import admin as enterprise_admin
from akeneo_pipeline.sandbox.errors import ApiError

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.server import SandboxServer


SCHEDULE_ROUTES = frozenset({"schedule", "schedule/clear"})


def mutation_routes(sandbox: SandboxServer) -> set[str]:
    """The POST routes a schedule entry may apply."""
    return set(_posts(sandbox, {})) - SCHEDULE_ROUTES


def handle(sandbox: SandboxServer, method: str, path: str, body: dict[str, Any]) -> Any:
    route = path[len("/_sandbox/"):].strip("/")
    gets = {
        "log": lambda: {"entries": [e.as_dict() for e in sandbox.request_log]},
        "stats": lambda: sandbox.stats(),
        "schedule": lambda: {"pending": sandbox.schedule.pending(), "applied": list(sandbox.schedule.applied)},
    }
    posts = _posts(sandbox, body)
    table = gets if method == "GET" else posts if method == "POST" else {}
    catalog_get = app_catalog_admin.gets(sandbox, route) if method == "GET" else None
    if catalog_get is not None:
        table = {route: catalog_get}
    if route not in table:
        raise ApiError(404, f"No sandbox admin route for {method} /_sandbox/{route}")
    try:
        result = table[route]()
    except KeyError as exc:
        raise ApiError(422, f"missing field {exc.args[0]!r} in the request body") from None
    except (ValueError, TypeError) as exc:
        raise ApiError(422, str(exc)) from None
    return {"ok": True} if result is None else result


def _posts(sandbox: SandboxServer, body: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    c = sandbox.catalog
    return {
        "log/clear": lambda: sandbox.clear_log(),
        "configure": lambda: sandbox.configure(**body),
        "products/update": lambda: {"uuids": c.update_products(_count(body), uuids=body.get("uuids"),
                                                               at=body.get("at"))},
        "products/create": lambda: {"uuids": c.create_products(int(body["n"]))},
        "products/delete": lambda: {"uuids": c.delete_products(int(body["n"]))},
        "products/restore": lambda: c.restore_products(list(body["uuids"])),
        "product-models/update": lambda: {"codes": c.update_product_models(_count(body), codes=body.get("codes"),
                                                                           at=body.get("at"))},
        "attribute-options/add": lambda: c.add_option(body["attribute"], body["code"], body.get("labels", {}),
                                                      body.get("sort_order")),
        "attribute-options/relabel": lambda: c.relabel_option(body["attribute"], body["code"], body["locale"],
                                                              body.get("label")),
        "attribute-options/remove": lambda: c.remove_option(body["attribute"], body["code"]),
        "attribute-options/reorder": lambda: c.reorder_option(body["attribute"], body["code"],
                                                              int(body["sort_order"])),
        "attributes/add": lambda: c.add_attribute(**body),
        "attributes/remove": lambda: c.remove_attribute(body["code"]),
        **enterprise_admin.posts(c, body),
        "password": lambda: c.change_password(str(body["new_password"])),
        "app-tokens/revoke": lambda: {"revoked": c.revoke_app_tokens()},
        "schedule": lambda: sandbox.schedule.add(body["path"], body["after"], body["mutation"], body.get("body")),
        "schedule/clear": lambda: sandbox.schedule.clear(),
        **app_catalog_admin.posts(sandbox, body),
    }


def _count(body: dict[str, Any]) -> int | None:
    """`n` as an int when given; an edit names either `n` or the items themselves."""
    return None if body.get("n") is None else int(body["n"])
