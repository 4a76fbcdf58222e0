"""Settings read from the environment and `.env`, validated once at the edge.

Every setting names its environment variable in its error, so a wrong value
fails at launch with a message a person can act on. Secrets are `SecretStr`
from here inward and never appear in `repr`, logs or exceptions.
"""

from __future__ import annotations

import ipaddress
import uuid
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}

SUPPORTED_WAREHOUSE_DRIVERS = ("duckdb", "postgresql", "postgresql+psycopg")

# Concurrent calls Akeneo accepts per API connection (Akeneo's REST API "Good practices" page,
# "Maximum Concurrent API Calls": 4 per connection, 10 per instance).
AKENEO_CONCURRENT_CALLS = 4


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_base_url(raw: str, allow_insecure_http: bool = False) -> str:
    """Turn Akeneo's connection form ("my-pim.cloud.akeneo.com/") or a full URL into
    `scheme://host[:port]` without a trailing slash."""
    text = raw.strip()
    if not text:
        raise ValueError("AKENEO_BASE_URL is empty: set it to your PIM's address, e.g. my-pim.cloud.akeneo.com")
    if "://" not in text:
        host = text.split("/", 1)[0].split(":", 1)[0]
        text = ("http://" if is_loopback(host) else "https://") + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"AKENEO_BASE_URL must be an http(s) address or a bare host, got scheme {parts.scheme!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure_http:
        raise ValueError(
            f"AKENEO_BASE_URL uses plain http:// to {parts.hostname}, which would send credentials "
            "unencrypted; use https:// or set AKENEO_ALLOW_INSECURE_HTTP=true"
        )
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


class AkeneoSettings(BaseSettings):
    """How to reach Akeneo: an API connection (client id, secret, username, password)
    or an Akeneo App token (`AKENEO_ACCESS_TOKEN`)."""

    # hide_input_in_errors: pydantic would print the inputs, secrets included, in its error.
    model_config = SettingsConfigDict(env_prefix="AKENEO_", env_file=".env", extra="ignore", hide_input_in_errors=True)

    base_url: str = Field(description="PIM address; a bare host is accepted")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    access_token: SecretStr | None = Field(default=None, description="Akeneo App token (no refresh)")
    app_scopes: str | None = Field(
        default=None, description="scopes granted to the App token, space-separated; written by connect-app"
    )
    catalog_id: str | None = Field(
        default=None, description="App catalog whose product selection the products stream reads; "
        "written by connect-app")
    catalog_name: str | None = Field(
        default=None, description="name of the App catalog connect-app creates when AKENEO_CATALOG_ID is unset")
    allow_insecure_http: bool = False
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)
    max_concurrency: int = Field(default=4, ge=1, description="Akeneo allows 4 calls per connection")
    sensor_concurrency: int = Field(
        default=1, ge=1, description="of AKENEO_MAX_CONCURRENCY, the calls kept for the change sensor's ticks"
    )
    page_size: int = Field(default=100, ge=1, le=100)
    # Catalog product lists take up to 1,000 a page (app_catalogs_id_products.yaml: `limit` maximum 1000).
    catalog_page_size: int = Field(default=1000, ge=1, le=1000)
    max_attempts: int = Field(default=6, ge=1, le=12)
    backoff_base: float = Field(default=0.5, gt=0, description="seconds; doubles per attempt, with jitter")
    backoff_max: float = Field(default=30.0, gt=0)
    updated_overlap_seconds: int = Field(default=300, ge=0, description="safety overlap on the updated watermark")
    timezone: str = Field(
        default="UTC",
        description="the PIM server's time zone (php.ini date.timezone), an IANA name: Akeneo reads the dates of "
        "`updated`/`created` search filters in it; UTC on SaaS",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value, "AKENEO_TIMEZONE", "the PIM server's php.ini date.timezone; UTC on SaaS")

    @field_validator("max_concurrency")
    @classmethod
    def _within_akeneo_limit(cls, value: int) -> int:
        # More calls than Akeneo allows per connection only earn 429s (and starve any other
        # integration sharing the connection), so a higher value is a mistake, not a tuning.
        if value > AKENEO_CONCURRENT_CALLS:
            raise ValueError(
                f"AKENEO_MAX_CONCURRENCY={value} is above Akeneo's limit of {AKENEO_CONCURRENT_CALLS} "
                f"concurrent calls per API connection; set it to {AKENEO_CONCURRENT_CALLS} or less"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> AkeneoSettings:
        self.base_url = normalize_base_url(self.base_url, self.allow_insecure_http)
        if self.app_scopes is not None and not self.app_scopes.strip():
            self.app_scopes = None  # a blank line copied from .env.example means "unknown", not "none"
        self.catalog_id, self.catalog_name = check_catalog_settings(self.catalog_id, self.catalog_name)
        if self.access_token is None:
            missing = [
                f"AKENEO_{name.upper()}"
                for name in ("client_id", "client_secret", "username", "password")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(
                    "Akeneo credentials incomplete: set " + ", ".join(missing)
                    + " (an API connection) or AKENEO_ACCESS_TOKEN (an Akeneo App)"
                )
        if self.catalog_id is not None and self.access_token is None:
            # Catalogs are an App feature: an API connection's roles cannot hold their ACLs
            # (Akeneo's guide "Catalogs for Apps": "Catalogs are only created by apps").
            raise ValueError("AKENEO_CATALOG_ID is set but there is no App token: catalogs are read by an Akeneo "
                             "App; run `akeneo-pipeline connect-app` (it writes AKENEO_ACCESS_TOKEN) or unset "
                             "AKENEO_CATALOG_ID to read the whole PIM")
        if self.catalog_id is None and self.catalog_name is not None:
            raise ValueError(f"AKENEO_CATALOG_NAME={self.catalog_name!r} is set but AKENEO_CATALOG_ID is not: run "
                             "`akeneo-pipeline connect-app` to create the catalog and save its id")
        return self

    def for_runs(self) -> AkeneoSettings:
        """The settings a run's client uses: the connection's calls less the sensor's share, so a
        tick during a run keeps the two within Akeneo's limit. With AKENEO_MAX_CONCURRENCY at or
        below the share there is nothing to split; the run keeps them all."""
        if self.max_concurrency <= self.sensor_concurrency:
            return self
        return self.model_copy(update={"max_concurrency": self.max_concurrency - self.sensor_concurrency})

    def for_sensor(self) -> AkeneoSettings:
        """The settings a sensor tick's client uses: its own share of the connection's calls."""
        return self.model_copy(update={"max_concurrency": min(self.sensor_concurrency, self.max_concurrency)})

    @property
    def uses_app_token(self) -> bool:
        return self.access_token is not None

    @property
    def catalog_mode(self) -> bool:
        """Whether products are read through an App catalog (`AKENEO_CATALOG_ID`)."""
        return self.catalog_id is not None

    @property
    def zone(self) -> ZoneInfo:
        """The server's time zone, in which search filter dates are written."""
        return ZoneInfo(self.timezone)


CATALOG_NAME_MAX = 255  # Akeneo's catalog name: 1 to 255 characters (the Swagger's 422 example, app_catalogs.yaml)


def check_catalog_settings(catalog_id: str | None, catalog_name: str | None) -> tuple[str | None, str | None]:
    """`AKENEO_CATALOG_ID` as a canonical lower-case UUID (catalog ids are UUIDs: app_catalogs_id.yaml,
    `format: uuid`) and `AKENEO_CATALOG_NAME` stripped; blank values read as unset."""
    catalog_id = (catalog_id or "").strip() or None
    catalog_name = (catalog_name or "").strip() or None
    if catalog_id is not None:
        try:
            catalog_id = str(uuid.UUID(catalog_id))
        except ValueError:
            raise ValueError(f"AKENEO_CATALOG_ID {catalog_id!r} is not a catalog id: Akeneo's catalog ids are "
                             "UUIDs such as 12351d98-200e-4bbc-aa19-7fdda1bd14f2 (connect-app writes it)") from None
    if catalog_name is not None and len(catalog_name) > CATALOG_NAME_MAX:
        raise ValueError(f"AKENEO_CATALOG_NAME is {len(catalog_name)} characters long; Akeneo allows "
                         f"{CATALOG_NAME_MAX} at most")
    return catalog_id, catalog_name


def check_timezone(value: str, variable: str, hint: str) -> str:
    """`value` if it names an IANA time zone, else a ValueError naming `variable`."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{variable} {value!r} is not an IANA time zone such as UTC or Europe/Paris "
                         f"({hint})") from None
    return value


class StorageSettings(BaseSettings):
    """Where data lands: Parquet under `AKENEO_DATA_DIR`, tables at `WAREHOUSE_URL`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True, hide_input_in_errors=True)

    data_dir: Path = Field(default=Path("data"), alias="AKENEO_DATA_DIR")
    warehouse_url: SecretStr | None = Field(default=None, alias="WAREHOUSE_URL")
    warehouse_schema: str = Field(default="akeneo", alias="WAREHOUSE_SCHEMA")
    # Parquet on object storage: s3://bucket/prefix; parts are staged under AKENEO_DATA_DIR first.
    parquet_url: str | None = Field(default=None, alias="AKENEO_PARQUET_URL")
    s3_endpoint_url: str | None = Field(default=None, alias="AKENEO_S3_ENDPOINT_URL")
    s3_region: str | None = Field(default=None, alias="AKENEO_S3_REGION")

    @field_validator("data_dir", mode="before")
    @classmethod
    def _data_dir_is_local(cls, value: object) -> object:
        if isinstance(value, str) and "://" in value:
            raise ValueError("AKENEO_DATA_DIR is a local directory (the staging Parquet is written to and the "
                             "warehouse loads from); for object storage set AKENEO_PARQUET_URL=s3://bucket/prefix")
        return value

    @field_validator("parquet_url")
    @classmethod
    def _parquet_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "s3" or not parts.netloc or "@" in parts.netloc or parts.query:
            raise ValueError(f"AKENEO_PARQUET_URL must look like s3://bucket/prefix, got scheme {parts.scheme!r} "
                             "(credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, not the URL)")
        return value.strip()

    @field_validator("warehouse_schema")
    @classmethod
    def _schema_is_identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"WAREHOUSE_SCHEMA must be a plain identifier, got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_url(self) -> StorageSettings:
        if self.warehouse_url is None:
            self.warehouse_url = SecretStr(f"duckdb:///{self.data_dir / 'warehouse.duckdb'}")
        raw = self.warehouse_url.get_secret_value()
        try:
            url = make_url(raw)
        except ArgumentError:
            raise ValueError(
                "WAREHOUSE_URL is not a SQLAlchemy URL; expected e.g. duckdb:///data/warehouse.duckdb "
                "or postgresql+psycopg://user:password@host:5432/db"
            ) from None
        if url.drivername not in SUPPORTED_WAREHOUSE_DRIVERS:
            raise ValueError(
                f"WAREHOUSE_URL driver {url.drivername!r} is not supported; use one of "
                + ", ".join(SUPPORTED_WAREHOUSE_DRIVERS)
            )
        return self

    @property
    def warehouse_url_display(self) -> str:
        """The warehouse URL with its password masked, for logs and metadata."""
        assert self.warehouse_url is not None
        return make_url(self.warehouse_url.get_secret_value()).render_as_string(hide_password=True)

    @property
    def parquet_dir(self) -> Path:
        return self.data_dir / "parquet"


class AutomationSettings(BaseSettings):
    """When the pipeline runs by itself: the nightly schedule and the change sensor."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    nightly_cron: str = Field(default="0 2 * * *", alias="NIGHTLY_CRON")
    nightly_timezone: str = Field(default="UTC", alias="NIGHTLY_TIMEZONE")
    deletion_scan_cron: str = Field(default="0 3 * * 0", alias="DELETION_SCAN_CRON")
    sensor_interval_seconds: int = Field(default=300, ge=30, alias="AKENEO_SENSOR_INTERVAL_SECONDS")
    # A tick must end inside Dagster's sensor evaluation timeout (60 s by default): it makes at most
    # this many requests (plus the pages of its last attribute's options less one) and stops reading
    # options at this many seconds; the next tick resumes where it stopped.
    sensor_max_requests: int = Field(default=50, ge=10, le=1000, alias="AKENEO_SENSOR_MAX_REQUESTS")
    sensor_time_budget_seconds: float = Field(default=40.0, gt=0, le=600, alias="AKENEO_SENSOR_TIME_BUDGET_SECONDS")

    @field_validator("nightly_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value, "NIGHTLY_TIMEZONE", "the zone the schedules' cron is read in")
