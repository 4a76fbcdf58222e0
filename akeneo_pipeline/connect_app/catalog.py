"""connect-app's catalog step: create the App catalog on first use, or adopt an existing one by id.

Akeneo's guide "Catalogs for Apps" (pim-api-docs, content/apps/catalogs.md), step 2: the App
creates the catalog with `POST /api/rest/v1/catalogs` (app_catalogs.yaml: body `{"name"}`, 201 with
the catalog object), "By default, new catalogs are disabled and only users can enable a catalog",
and the App may send its users to `{base}/connect/apps/v1/catalogs/{catalog_uuid}` to configure it.
`GET /api/rest/v1/catalogs/{id}` (app_catalogs_id.yaml) reads one: 404 when it does not exist or
is another App's. One attempt each, like the code exchange: the user runs connect-app again.
"""

from __future__ import annotations

from typing import Any

import httpx

from akeneo_pipeline.akeneo.app_catalog import CATALOGS_PATH, AppCatalogInfo, catalog_path
from akeneo_pipeline.akeneo.error_body import read_error_body
from akeneo_pipeline.connect_app.credentials import AppCredentials
from akeneo_pipeline.connect_app.errors import ConnectAppError

DEFAULT_CATALOG_NAME = "akeneo-pipeline"


def ensure_catalog(http: httpx.Client, credentials: AppCredentials, token: str) -> AppCatalogInfo:
    """The catalog AKENEO_CATALOG_ID names, or a new one named AKENEO_CATALOG_NAME."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if credentials.catalog_id is not None:
        path = catalog_path(credentials.catalog_id)
        response = _call(http, "GET", credentials, path, headers, None, token)
        if response.status_code == 404:
            raise _refused(response, "GET", path, token,
                           f"AKENEO_CATALOG_ID {credentials.catalog_id} names no catalog of this App (deleted, or "
                           "another App's): unset it and set AKENEO_CATALOG_NAME to create a new one")
        if response.status_code != 200:
            raise _refused(response, "GET", path, token, "Akeneo refused to read the App catalog AKENEO_CATALOG_ID")
        return AppCatalogInfo.from_akeneo(_json(response), path, response.status_code)
    name = credentials.catalog_name or DEFAULT_CATALOG_NAME
    response = _call(http, "POST", credentials, CATALOGS_PATH, headers, {"name": name}, token)
    if response.status_code != 201:
        raise _refused(response, "POST", CATALOGS_PATH, token,
                       f"Akeneo refused to create the App catalog {name!r} (AKENEO_CATALOG_NAME)")
    return AppCatalogInfo.from_akeneo(_json(response), CATALOGS_PATH, response.status_code)


def _call(http: httpx.Client, method: str, credentials: AppCredentials, path: str, headers: dict[str, str],
          body: dict[str, Any] | None, token: str) -> httpx.Response:
    try:
        return http.request(method, f"{credentials.base_url}{path}", headers=headers, json=body)
    except httpx.HTTPError as exc:
        raise ConnectAppError(f"no answer from Akeneo at {credentials.base_url} ({type(exc).__name__}); the token "
                              "is saved: run `akeneo-pipeline connect-app` again to set up the catalog",
                              method=method, path=path) from None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _refused(response: httpx.Response, method: str, path: str, token: str, why: str) -> ConnectAppError:
    said = read_error_body(response, [token])
    hint = " (the token lacks the catalog scopes: approve them)" if response.status_code == 403 else ""
    return ConnectAppError(f"{why}{hint}; the token is saved, the catalog is not: run `akeneo-pipeline connect-app` "
                           "again", method=method, path=path, status=response.status_code,
                           akeneo_message=said.message, errors=said.errors, body=said.text)
