"""Akeneo App catalogs: what a catalog is, where a PIM user configures it, and the errors that
stop a run reading it.

Sources: Akeneo's guide "Catalogs for Apps" (pim-api-docs, content/apps/catalogs.md) and the SaaS
Swagger of the catalog endpoints (pim-api-docs, content/swagger/resources/app_catalogs/):
- a catalog is created by the App (`POST /api/rest/v1/catalogs`, app_catalogs.yaml) and its
  product selection is configured and enabled by a PIM user; "By default, new catalogs are
  disabled and only users can enable a catalog" (the guide, step 2);
- the user's screen is `https://my-pim.cloud.akeneo.com/connect/apps/v1/catalogs/{catalog_uuid}`
  (the guide, step 2);
- the catalog object is `{id, name, enabled, ...}` (app_catalog.yaml); `GET /catalogs/{id}`
  answers 404 for a catalog that does not exist (or is another App's) and 403 to a token without
  the catalog scopes (app_catalogs_id.yaml: 403CatalogError, 404CatalogError);
- a disabled catalog's product lists answer HTTP 200 with `{"error": "No products to
  synchronize. The catalog ... has been disabled on the PIM side. ..."}` and no items (the
  guide's Troubleshooting; app_catalogs_id_products.yaml and _product_uuids.yaml say so too).
  That answer must never read as an empty selection: it would soft-delete every product.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from akeneo_pipeline.akeneo.errors import AkeneoError
from akeneo_pipeline.streams import API

CATALOGS_PATH = f"{API}/catalogs"
# The scopes an App asks for to manage catalogs (the guide, step 1: read_products plus these three).
CATALOG_SCOPES: tuple[str, ...] = ("read_catalogs", "write_catalogs", "delete_catalogs")
# What a run needs of them: reading (write_ implies read_, scopes.py).
CATALOG_READ_SCOPES: tuple[str, ...] = ("read_catalogs",)


def catalog_path(catalog_id: str, tail: str = "") -> str:
    return f"{CATALOGS_PATH}/{catalog_id}{tail}"


def catalog_settings_url(base_url: str, catalog_id: str) -> str:
    """Where a PIM user configures the catalog's product selection and enables it (the guide, step 2)."""
    return f"{base_url}/connect/apps/v1/catalogs/{catalog_id}"


@dataclass(frozen=True)
class AppCatalogInfo:
    """The catalog object (app_catalog.yaml): what the UI and the logs say about it."""

    id: str
    name: str
    enabled: bool

    @classmethod
    def from_akeneo(cls, body: Any, path: str, status: int) -> AppCatalogInfo:
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise AppCatalogError("Akeneo answered a catalog read without the catalog object", catalog_id=None,
                                  state="unreadable", settings_url=None, path=path, status=status)
        return cls(body["id"], str(body.get("name") or ""), body.get("enabled") is True)

    @property
    def state(self) -> str:
        return "enabled" if self.enabled else "disabled"


class AppCatalogError(AkeneoError):
    """The App catalog cannot be read: disabled, deleted, or the token lost its catalog scopes.
    The message names the catalog, its state and the URL where a PIM user fixes it; the run
    stops before any row is soft-deleted or any cursor moves."""

    def __init__(self, message: str, *, catalog_id: str | None, state: str, settings_url: str | None,
                 **details: Any) -> None:
        self.catalog_id = catalog_id
        self.state = state
        self.settings_url = settings_url
        super().__init__(message, **details)


NOTHING_CHANGED = "the run stopped: no row was soft-deleted and no cursor moved"


def disabled_error(base_url: str, catalog_id: str, name: str | None, path: str, akeneo_message: str | None,
                   status: int | None = 200) -> AppCatalogError:
    url = catalog_settings_url(base_url, catalog_id)
    named = f" ({name!r})" if name else ""
    return AppCatalogError(
        f"App catalog {catalog_id}{named} (AKENEO_CATALOG_ID) is disabled, so Akeneo serves no products for it: "
        f"a PIM user must check its product selection and enable it at {url}; {NOTHING_CHANGED}",
        catalog_id=catalog_id, state="disabled", settings_url=url, path=path, status=status,
        akeneo_message=akeneo_message)


def refused_error(base_url: str, catalog_id: str, path: str, status: int, akeneo_message: str | None,
                  method: str = "GET") -> AppCatalogError:
    """The 404 (deleted, or not this App's) and 403 (catalog scopes lost) answers."""
    url = catalog_settings_url(base_url, catalog_id)
    if status == 404:
        message = (f"App catalog {catalog_id} (AKENEO_CATALOG_ID) does not exist: it was deleted, or it belongs "
                   f"to another App, and its page {url} is gone with it. Unset AKENEO_CATALOG_ID and run "
                   "`akeneo-pipeline connect-app` with AKENEO_CATALOG_NAME to create a new one, then have a PIM "
                   f"user configure and enable it at the URL connect-app prints; {NOTHING_CHANGED}")
        state = "deleted"
    else:
        message = (f"the App token may not read App catalog {catalog_id} (AKENEO_CATALOG_ID): it lost the catalog "
                   f"scopes ({', '.join(CATALOG_SCOPES)}) or read_products. Run `akeneo-pipeline connect-app` "
                   f"again and approve them; the catalog is configured at {url}; {NOTHING_CHANGED}")
        state = "forbidden"
    return AppCatalogError(message, catalog_id=catalog_id, state=state, settings_url=url, method=method, path=path,
                           status=status, akeneo_message=akeneo_message)
