"""The admin routes for App catalogs and category removal: what a PIM user does in Akeneo's UI
(`{base}/connect/apps/v1/catalogs/{id}`: the product selection, the Enable button; Settings >
Categories: delete), and the ground truth tests read. Listed in admin.py's docstring.

    GET  /_sandbox/catalogs               {"catalogs": [state...]}  (AppCatalogs.state)
    GET  /_sandbox/catalogs/<id>          state + "selected_uuids": the live products it selects
    POST /_sandbox/catalogs/create        {"name", "owner"?, "managed_currencies"?, "managed_locales"?}
                                          a catalog as an App would create it; `owner` defaults to the
                                          sandbox's App (another value plays another App)
    POST /_sandbox/catalogs/selection     {"id", "criteria": [{"field", "operator", "value"}...]}
    POST /_sandbox/catalogs/enable        {"id"}  (refused while the selection names a deleted code)
    POST /_sandbox/catalogs/disable       {"id"}
    POST /_sandbox/categories/remove      {"code", "run_job"?: true} -> {"codes": [...], "disabled_catalogs": [...]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.category_removal import remove_category

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.server import SandboxServer


def gets(sandbox: SandboxServer, route: str) -> Callable[[], Any] | None:
    """The GET route `route` (under /_sandbox/), or None when it is not one of these."""
    store = sandbox.app_catalogs
    if route == "catalogs":
        return lambda: {"catalogs": store.states()}
    if route.startswith("catalogs/") and route.count("/") == 1:
        catalog_id = route.split("/", 1)[1]
        return lambda: {**store.state(catalog_id), "selected_uuids": sorted(store.selected_uuids(catalog_id))}
    return None


def posts(sandbox: SandboxServer, body: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    store = sandbox.app_catalogs

    def create() -> dict[str, Any]:
        created = store.create(body["name"], body.get("owner") or sandbox.config.app_client_id,
                               body.get("managed_currencies"), body.get("managed_locales"))
        return {**created.public(), "owner": created.owner}

    def remove() -> dict[str, Any]:
        enabled = {s["id"] for s in store.states() if s["enabled"]}
        codes = remove_category(sandbox.catalog, str(body["code"]), run_job=bool(body.get("run_job", True)))
        still = {s["id"] for s in store.states() if s["enabled"]}
        return {"codes": codes, "disabled_catalogs": sorted(enabled - still)}

    return {
        "catalogs/create": create,
        "catalogs/selection": lambda: store.set_selection(str(body["id"]), body["criteria"]),
        "catalogs/enable": lambda: store.enable(str(body["id"])),
        "catalogs/disable": lambda: store.disable(str(body["id"])),
        "categories/remove": remove,
    }
