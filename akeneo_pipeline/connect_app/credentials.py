"""What `connect-app` needs to know: the PIM's address and the App's client id and secret.

Not `AkeneoSettings`: that model insists on a complete API connection or an App
token, and before `connect-app` has run there is neither.
"""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from akeneo_pipeline.settings import check_catalog_settings, normalize_base_url


class AppCredentials(BaseSettings):
    """`AKENEO_BASE_URL`, `AKENEO_CLIENT_ID` and `AKENEO_CLIENT_SECRET` of an Akeneo App."""

    model_config = SettingsConfigDict(env_prefix="AKENEO_", env_file=".env", extra="ignore")

    base_url: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    catalog_id: str | None = None  # catalog mode: adopt this App catalog ...
    catalog_name: str | None = None  # ... or create one with this name
    allow_insecure_http: bool = False
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=60.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> AppCredentials:
        missing = [f"AKENEO_{name.upper()}" for name in ("base_url", "client_id", "client_secret")
                   if not getattr(self, name)]
        if missing:
            raise ValueError(
                "connect-app needs " + ", ".join(missing) + ": the PIM's address and the client id and "
                "secret Akeneo showed when the App was created (App Store > your App)"
            )
        assert self.base_url is not None
        self.base_url = normalize_base_url(self.base_url, self.allow_insecure_http)
        self.catalog_id, self.catalog_name = check_catalog_settings(self.catalog_id, self.catalog_name)
        return self

    @property
    def catalog_mode(self) -> bool:
        """AKENEO_CATALOG_ID or AKENEO_CATALOG_NAME is set: the App reads an App catalog."""
        return self.catalog_id is not None or self.catalog_name is not None

    @property
    def secret(self) -> str:
        assert self.client_secret is not None
        return self.client_secret.get_secret_value()
