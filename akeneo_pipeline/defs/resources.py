"""Dagster resources: thin wrappers that turn configuration into the plain-Python
Akeneo client and Store.

Values left unset here are read by pydantic-settings from the environment and
`.env`, so one set of variables (documented in `.env.example`) drives the UI,
the CLI, schedules and sensors alike. Validation happens when a run or a sensor
first asks for a client, and its message names the variable to fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
from pydantic import Field

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.settings import AkeneoSettings, StorageSettings
from akeneo_pipeline.storage import Store


def _explicit(values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that were set, so the rest fall through to the environment."""
    return {key: value for key, value in values.items() if value not in (None, "")}


class AkeneoResource(dg.ConfigurableResource):
    """The Akeneo connection. Credentials come from AKENEO_* variables; set a field
    only to override one (for instance in the Launchpad)."""

    base_url: str | None = Field(default=None, description="AKENEO_BASE_URL")
    max_concurrency: int | None = Field(default=None, description="AKENEO_MAX_CONCURRENCY (Akeneo allows 4)")

    def settings(self) -> AkeneoSettings:
        return AkeneoSettings(**_explicit({"base_url": self.base_url, "max_concurrency": self.max_concurrency}))

    @contextmanager
    def client(self) -> Iterator[AkeneoClient]:
        with AkeneoClient(self.settings()) as client:
            yield client


class StorageResource(dg.ConfigurableResource):
    """Where data lands: AKENEO_DATA_DIR for Parquet, WAREHOUSE_URL for tables."""

    data_dir: str | None = Field(default=None, description="AKENEO_DATA_DIR")

    def settings(self) -> StorageSettings:
        return StorageSettings(**_explicit({"AKENEO_DATA_DIR": self.data_dir}))

    def store(self) -> Store:
        return Store.from_settings(self.settings())
