"""The Akeneo REST API client: plain Python and httpx, no Dagster, no storage."""

from akeneo_pipeline.akeneo.app_catalog import CATALOG_SCOPES, AppCatalogError, AppCatalogInfo, catalog_settings_url
from akeneo_pipeline.akeneo.client import AkeneoClient, IncrementalPlan
from akeneo_pipeline.akeneo.counters import EndpointCounters, RunCounters
from akeneo_pipeline.akeneo.errors import (
    AkeneoAuthError,
    AkeneoConnectionError,
    AkeneoError,
    AkeneoHTTPError,
    MalformedResponseError,
    ServerTimeZoneError,
)
from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES, check_scopes, missing_scopes

__all__ = [
    "CATALOG_SCOPES",
    "REQUIRED_SCOPES",
    "AkeneoAuthError",
    "AkeneoClient",
    "AkeneoConnectionError",
    "AkeneoError",
    "AkeneoHTTPError",
    "AppCatalogError",
    "AppCatalogInfo",
    "EndpointCounters",
    "IncrementalPlan",
    "MalformedResponseError",
    "RunCounters",
    "ServerTimeZoneError",
    "catalog_settings_url",
    "check_scopes",
    "missing_scopes",
]
