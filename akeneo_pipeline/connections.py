"""Several Akeneo connections in one deployment, declared in one YAML file (AKENEO_CONNECTIONS_FILE).

    connections:
      - name: eu                     # asset keys eu/akeneo/..., jobs eu_nightly ..., pool akeneo_eu
        env_prefix: AKENEO_EU_       # AKENEO_EU_BASE_URL, AKENEO_EU_CLIENT_ID, ... (the default)
        schema: akeneo_eu            # the warehouse schema (the default)
        parquet_prefix: eu           # <AKENEO_DATA_DIR>/eu/, <AKENEO_PARQUET_URL>/eu/ (the default)
        nightly_cron: "0 2 * * *"    # NIGHTLY_CRON by default

Each connection reads its credentials and Akeneo settings from variables under its own prefix,
exactly as the single connection reads AKENEO_*. Without the file, the deployment has today's one
connection (AKENEO_*), with today's asset keys. Plain Python: no Dagster.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONNECTIONS_FILE_VARIABLE = "AKENEO_CONNECTIONS_FILE"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class ConnectionsFileError(ValueError):
    """The connections file cannot be used; names the file and the entry."""


class ConnectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    env_prefix: str = ""
    warehouse_schema: str = Field(default="", alias="schema")
    parquet_prefix: str = ""
    nightly_cron: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError(f"name {value!r} must be 1-40 of a-z, 0-9 and _, starting with a letter "
                             "(it prefixes asset keys, job names and the schema)")
        return value

    @model_validator(mode="after")
    def _defaults(self) -> ConnectionSpec:
        self.env_prefix = self.env_prefix or f"AKENEO_{self.name.upper()}_"
        self.warehouse_schema = self.warehouse_schema or f"akeneo_{self.name}"
        self.parquet_prefix = self.parquet_prefix or self.name
        if not self.warehouse_schema.isidentifier():
            raise ValueError(f"schema {self.warehouse_schema!r} must be a plain identifier")
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", self.parquet_prefix):
            raise ValueError(f"parquet_prefix {self.parquet_prefix!r} must be one path segment")
        if not re.match(r"^[A-Z][A-Z0-9_]*_$", self.env_prefix):
            raise ValueError(f"env_prefix {self.env_prefix!r} must be upper case and end with _ (AKENEO_EU_)")
        return self


class ConnectionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    connections: list[ConnectionSpec]

    @model_validator(mode="after")
    def _unique(self) -> ConnectionsFile:
        if not self.connections:
            raise ValueError("connections is empty: declare at least one, or unset the variable for AKENEO_*")
        for field in ("name", "env_prefix", "warehouse_schema", "parquet_prefix"):
            values = [getattr(spec, field) for spec in self.connections]
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"two connections share the {field.replace('warehouse_', '')} {repeated[0]!r}")
        return self


def load_connections(path: Path) -> list[ConnectionSpec]:
    """The connections declared in `path`, validated; errors name the file and the entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConnectionsFileError(f"{CONNECTIONS_FILE_VARIABLE}={path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ConnectionsFileError(f"{CONNECTIONS_FILE_VARIABLE}={path}: not YAML ({error})") from None
    try:
        return ConnectionsFile.model_validate(raw).connections
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in item['loc']) or 'file'}: "
                             f"{item['msg'].removeprefix('Value error, ')}" for item in error.errors())
        raise ConnectionsFileError(f"{CONNECTIONS_FILE_VARIABLE}={path}: {problems}") from None


def connections_from_env() -> list[ConnectionSpec]:
    """The connections of AKENEO_CONNECTIONS_FILE; [] when it is unset (the one AKENEO_* connection)."""
    path = os.environ.get(CONNECTIONS_FILE_VARIABLE, "").strip()
    return load_connections(Path(path)) if path else []
