"""The Akeneo REST API client: plain Python and httpx, no Dagster, no storage."""

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
    "REQUIRED_SCOPES",
    "AkeneoAuthError",
    "AkeneoClient",
    "AkeneoConnectionError",
    "AkeneoError",
    "AkeneoHTTPError",
    "EndpointCounters",
    "IncrementalPlan",
    "MalformedResponseError",
    "RunCounters",
    "ServerTimeZoneError",
    "check_scopes",
    "missing_scopes",
]
