"""Dagster resources: thin wrappers that turn configuration into the plain-Python
Akeneo client and Store, one of each per run.

Values left unset here are read by pydantic-settings from the environment and
`.env`, so one set of variables (documented in `.env.example`) drives the UI,
the CLI, schedules and sensors alike. Validation happens when a run or a sensor
first asks for a client or a store, and its message names the variable to fix.

While a run executes, what the plain-Python layers log (`akeneo_pipeline.*`: retries,
429s, unconfirmed removals, the re-key) goes to the run's Dagster log as well, so it
shows in the UI once, where it happened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import dagster as dg
from pydantic import Field, PrivateAttr, ValidationError
from pydantic_settings import BaseSettings

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.settings import AkeneoSettings, StorageSettings
from akeneo_pipeline.storage import Store

SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def _load(settings_class: type[SettingsT], env_prefix: str, **values: Any) -> SettingsT:
    """Build settings, turning pydantic's error into one that names the environment
    variables and drops the inputs (pydantic would print them, secrets included)."""
    try:
        return settings_class(**values)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            message = item["msg"].removeprefix("Value error, ")
            field = ".".join(str(part) for part in item["loc"])
            variable = field if field.isupper() else f"{env_prefix}{field.upper()}"
            problems.append(f"{variable}: {message}" if field else message)
        raise ValueError(f"Invalid {settings_class.__name__}: " + "; ".join(problems)) from None


def _explicit(values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that were set, so the rest fall through to the environment."""
    return {key: value for key, value in values.items() if value not in (None, "")}


class _RunLogHandler(logging.Handler):
    """Hands `akeneo_pipeline` log records to a run's Dagster log."""

    def __init__(self, dagster_log: Any) -> None:
        super().__init__(logging.INFO)
        self._log = dagster_log

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._log.log(record.levelno, record.getMessage())
        except Exception:  # a log line must never fail the run
            self.handleError(record)


PIPELINE_LOGGER = logging.getLogger("akeneo_pipeline")


class AkeneoResource(dg.ConfigurableResource):
    """The Akeneo connection. Credentials come from AKENEO_* variables; set a field
    only to override one (for instance in the Launchpad)."""

    base_url: str | None = Field(default=None, description="AKENEO_BASE_URL")
    max_concurrency: int | None = Field(default=None, description="AKENEO_MAX_CONCURRENCY (Akeneo allows 4)")
    env_prefix: str = Field(default="AKENEO_", description="where the connection's variables are: AKENEO_, or "
                            "a connection's own prefix (AKENEO_CONNECTIONS_FILE)")

    _run_client: AkeneoClient | None = PrivateAttr(default=None)
    _in_run: bool = PrivateAttr(default=False)
    _log_handler: logging.Handler | None = PrivateAttr(default=None)

    def settings(self) -> AkeneoSettings:
        overrides = _explicit({"base_url": self.base_url, "max_concurrency": self.max_concurrency})
        if self.env_prefix != "AKENEO_":
            overrides["_env_prefix"] = self.env_prefix
        return _load(AkeneoSettings, self.env_prefix, **overrides)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._in_run = True
        if context.log is not None:
            self._log_handler = _RunLogHandler(context.log)
            PIPELINE_LOGGER.addHandler(self._log_handler)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run_client is not None:
            self._run_client.close()
            self._run_client = None
        if self._log_handler is not None:
            PIPELINE_LOGGER.removeHandler(self._log_handler)
            self._log_handler = None
        self._in_run = False

    @contextmanager
    def client(self, check_catalog: bool = True) -> Iterator[AkeneoClient]:
        """One client per run: every asset of a run shares its token (one login, not one per
        asset) and its concurrency cap (AKENEO_MAX_CONCURRENCY less the sensor's share,
        AKENEO_SENSOR_CONCURRENCY; the connection's pool keeps other runs out). Each `sync_*`
        call counts its own requests (`AkeneoClient.metered`), so sharing the client costs no accuracy."""
        if not self._in_run:  # a sensor tick: its own share of the connection's calls
            with AkeneoClient(self.settings().for_sensor()) as client:
                yield client
            return
        if self._run_client is None:
            client = AkeneoClient(self.settings().for_runs())
            try:
                # Catalog mode: a disabled, deleted or forbidden App catalog fails every Akeneo step of
                # the run before its first write, so the run changes nothing in the warehouse.
                if check_catalog:
                    client.app_catalog(require_enabled=True)
            except BaseException:
                client.close()
                raise
            self._run_client = client
        yield self._run_client


class StorageResource(dg.ConfigurableResource):
    """Where data lands: AKENEO_DATA_DIR for Parquet, WAREHOUSE_URL for tables."""

    data_dir: str | None = Field(default=None, description="AKENEO_DATA_DIR")
    warehouse_schema: str | None = Field(default=None, description="WAREHOUSE_SCHEMA")
    subdirectory: str | None = Field(default=None, description="a connection's own part of AKENEO_DATA_DIR and "
                                     "AKENEO_PARQUET_URL (AKENEO_CONNECTIONS_FILE's parquet_prefix)")

    _run_store: Store | None = PrivateAttr(default=None)

    def settings(self) -> StorageSettings:
        explicit = _explicit({"AKENEO_DATA_DIR": self.data_dir, "WAREHOUSE_SCHEMA": self.warehouse_schema})
        settings = _load(StorageSettings, "", **explicit)
        if not self.subdirectory:
            return settings
        # A connection of several: its Parquet (and, unless WAREHOUSE_URL is set, its DuckDB file) below
        # its own directory and prefix, its tables in its own schema.
        explicit["AKENEO_DATA_DIR"] = str(settings.data_dir / self.subdirectory)
        if settings.parquet_url:
            explicit["AKENEO_PARQUET_URL"] = f"{settings.parquet_url.rstrip('/')}/{self.subdirectory}"
        return _load(StorageSettings, "", **explicit)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._run_store = Store.from_settings(self.settings())

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run_store is not None:
            self._run_store.close()
            self._run_store = None

    def store(self) -> Store:
        """The run's Store (one engine for every step and check of the run, disposed at its end);
        outside a run, a new one."""
        return self._run_store if self._run_store is not None else Store.from_settings(self.settings())
