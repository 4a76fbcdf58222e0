"""`SalesforceSettings`: where the Salesforce target deploys, from SALESFORCE_* (and `.env`),
validated once at the edge like the other settings (akeneo_pipeline/settings.py); the client
secret is a `SecretStr` and never appears in `repr`, logs or exceptions."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from akeneo_pipeline.settings import is_loopback

SALESFORCE_API_VERSION = "62.0"


class SalesforceSettings(BaseSettings):
    """Where picklists are deployed: a connected app (or external client app) using the OAuth
    client credentials flow against the org's My Domain URL. With none of
    SALESFORCE_INSTANCE_URL / SALESFORCE_CLIENT_ID / SALESFORCE_CLIENT_SECRET set, the target
    runs dry: it writes the deploy packages to SALESFORCE_PACKAGE_DIR instead."""

    model_config = SettingsConfigDict(env_prefix="SALESFORCE_", env_file=".env", extra="ignore",
                                      hide_input_in_errors=True)

    instance_url: str | None = Field(default=None, description="https://<my-domain>.my.salesforce.com")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_version: str = Field(default=SALESFORCE_API_VERSION, description="Metadata API version, e.g. 62.0")
    mapping_file: Path = Field(default=Path("salesforce-mapping.yaml"))
    package_dir: Path = Field(default=Path("data/salesforce/packages"), description="dry-run packages land here")
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=120.0, gt=0)
    max_attempts: int = Field(default=5, ge=1, le=12)
    backoff_base: float = Field(default=1.0, gt=0)
    backoff_max: float = Field(default=30.0, gt=0)
    poll_interval: float = Field(default=2.0, gt=0, description="seconds between deploy status checks")
    deploy_timeout: float = Field(default=1800.0, gt=0, description="seconds to wait for a deploy to finish")

    @field_validator("api_version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not value.replace(".", "", 1).isdigit() or not value.endswith(".0"):
            raise ValueError(f"SALESFORCE_API_VERSION must look like 62.0, got {value!r}")
        return value

    @model_validator(mode="after")
    def _check(self) -> SalesforceSettings:
        given = {"SALESFORCE_INSTANCE_URL": self.instance_url, "SALESFORCE_CLIENT_ID": self.client_id,
                 "SALESFORCE_CLIENT_SECRET": self.client_secret}
        given = {name: value for name, value in given.items()
                 if value is not None and (value.get_secret_value() if isinstance(value, SecretStr) else value).strip()}
        if given and len(given) < 3:
            missing = [n for n in ("SALESFORCE_INSTANCE_URL", "SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET")
                       if n not in given]
            raise ValueError("Salesforce settings incomplete: set " + ", ".join(missing)
                             + " (or none of the three for a dry run that writes packages to SALESFORCE_PACKAGE_DIR)")
        if not given:
            self.instance_url = self.client_id = self.client_secret = None
            return self
        assert self.instance_url is not None
        text = self.instance_url.strip()
        if "://" not in text:
            text = "https://" + text
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"SALESFORCE_INSTANCE_URL must be an https address, got scheme {parts.scheme!r}")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ValueError(f"SALESFORCE_INSTANCE_URL uses plain http:// to {parts.hostname}, which would send the "
                             "client secret unencrypted; use https://<my-domain>.my.salesforce.com")
        self.instance_url = f"{parts.scheme}://{parts.netloc}"
        return self

    @property
    def dry_run(self) -> bool:
        """True when no org is configured: packages are written, not deployed."""
        return self.instance_url is None
