"""The dbt project as Dagster assets: every model an asset in group `dbt`, every dbt
test an asset check, every source the Python asset that writes its table.

The manifest is prepared when this module loads (`dbt_manifest.ensure_manifest`:
`dbt parse` when it is missing or older than the dbt project), so the definitions
load right after `pip install`; an image build runs `dagster-dbt project
prepare-and-package --file akeneo_pipeline/defs/dbt.py` instead, and loading it then
parses nothing.

dbt reads its connection from environment variables (dbt/profiles.yml);
`dbt_env` derives them from WAREHOUSE_URL so one setting drives Python and dbt.
DuckDB allows one writing process per file: the dbt step runs after the Python
assets it depends on have finished and closed their connections, never beside them.
"""

# No `from __future__ import annotations`: Dagster reads the asset function's
# `context` annotation at definition time and needs the real class.
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from sqlalchemy.engine import make_url

from akeneo_pipeline.defs.dbt_manifest import dbt_executable, ensure_manifest
from akeneo_pipeline.defs.resources import StorageResource
from akeneo_pipeline.settings import StorageSettings

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"
DBT_GROUP = "dbt"
SECRET_PREFIX = "DBT_ENV_SECRET_"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
ensure_manifest(dbt_project)


class DbtEnv(dict[str, str]):
    """dbt's environment variables; the password never shows in its repr."""

    def __repr__(self) -> str:
        shown = {k: ("**********" if k.startswith(SECRET_PREFIX) else v) for k, v in self.items()}
        return f"DbtEnv({shown!r})"

    __str__ = __repr__


def dbt_env(storage: StorageSettings) -> DbtEnv:
    """The variables dbt/profiles.yml reads, derived from WAREHOUSE_URL.

    A relative DuckDB path is resolved against the current directory, as the
    pipeline's own engine resolves it, because dbt runs in the dbt/ directory.
    The PostgreSQL password goes in DBT_ENV_SECRET_PG_PASSWORD, which dbt scrubs
    from its logs.
    """
    assert storage.warehouse_url is not None  # StorageSettings fills the default
    url = make_url(storage.warehouse_url.get_secret_value())
    env = DbtEnv(WAREHOUSE_SCHEMA=storage.warehouse_schema)
    if url.drivername == "duckdb":
        if not url.database or url.database == ":memory:":
            raise ValueError(
                "WAREHOUSE_URL points at an in-memory DuckDB, which dbt cannot open from its own "
                "process; use a file, e.g. duckdb:///data/warehouse.duckdb"
            )
        env.update(DBT_TARGET="duckdb", DBT_DUCKDB_PATH=str(Path(url.database).resolve()))
        return env
    env.update(
        DBT_TARGET="postgres",
        DBT_PG_HOST=url.host or "localhost",
        DBT_PG_PORT=str(url.port or 5432),
        DBT_PG_USER=url.username or "",
        DBT_PG_DBNAME=url.database or "",
        **{f"{SECRET_PREFIX}PG_PASSWORD": url.password or ""},
    )
    return env


@contextmanager
def dbt_environ(env: Mapping[str, str]) -> Iterator[None]:
    """Set dbt's variables for the duration of one dbt invocation, then restore.

    DbtCliResource hands the subprocess a copy of os.environ and parses the
    profile in-process, so the variables must be in os.environ while it runs.
    Steps run one at a time (definitions.py uses the in-process executor) and
    the old values come back afterwards, so nothing leaks into other steps.
    """
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def release_duckdb_file() -> None:
    """Close the DuckDB file that fetching row counts and column schemas opened in this process.

    dagster-dbt reads that metadata through dbt's adapter, in this process, once dbt has
    exited; dbt-duckdb keeps that connection open in a class-level environment. A Python
    step after the dbt step (an asset check of the same run) would then fail to open the
    file ("a different configuration than existing connections"), so it is closed here.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # no environment was created: nothing is open
        return
    environment.close()
    DuckDBConnectionManager.close_all_connections()


class AkeneoDbtTranslator(DagsterDbtTranslator):
    """Models are keyed `dbt/<model>` in group `dbt`; sources keep the Python assets'
    keys from their `meta.dagster.asset_key`."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([DBT_GROUP, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return DBT_GROUP


def dbt_translator() -> AkeneoDbtTranslator:
    # Two sources share one asset (products and product_values are both written by
    # akeneo/products), which dagster-dbt allows only when told to.
    return AkeneoDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))


def dbt_resource() -> DbtCliResource:
    """The `dbt` resource the assets need (with `storage`, the StorageResource the Python assets use)."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def build_dbt_assets(project: DbtProject = dbt_project) -> dg.AssetsDefinition:
    """All dbt models as assets with their tests as checks (the manifest is parsed if it is not current)."""
    ensure_manifest(project)

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=dbt_translator())
    def akeneo_dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, storage: StorageResource
    ) -> Iterator[Any]:
        """`dbt build` of the selected models and their tests, on the warehouse the Python assets wrote;
        each model reports its row count (`dagster/row_count`) and column schema (`dagster/column_schema`)."""
        env = dbt_env(storage.settings())
        cwd = os.getcwd()
        with dbt_environ(env):
            try:
                # Row counts (tables, not views) and column schemas join each model's materialisation.
                yield from dbt.cli(["build"], context=context).stream().fetch_row_counts().fetch_column_metadata()
            finally:
                # dagster-dbt fetches that metadata on threads that each `pushd` into dbt/; two of them
                # interleaved can leave the process there, and a relative WAREHOUSE_URL or AKENEO_DATA_DIR
                # would then point into dbt/ for the steps after this one.
                os.chdir(cwd)
                if env["DBT_TARGET"] == "duckdb":
                    release_duckdb_file()

    return akeneo_dbt_models
