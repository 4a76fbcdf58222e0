"""The whole deployment: today's one connection (AKENEO_*), or each connection of
AKENEO_CONNECTIONS_FILE side by side (akeneo_pipeline/connections.py).

A named connection brings its own assets (keys under its name), checks, jobs, schedules, sensor,
pool and the resources they use (`akeneo_<name>` with its variables' prefix, `storage_<name>` with
its schema and Parquet prefix). The dbt project and the Salesforce target are built for the single
connection only: dbt's sources name one schema (dbt/models/staging/_sources.yml) and the Salesforce
mapping one PIM; with several connections, dbt runs per connection outside this deployment
(WAREHOUSE_SCHEMA=akeneo_<name>).
"""

from __future__ import annotations

import dagster as dg

from akeneo_pipeline.connections import ConnectionSpec
from akeneo_pipeline.defs.automation import DEFAULT_JOBS, build_change_sensor, build_jobs, build_schedules
from akeneo_pipeline.defs.catalog import build_catalog_asset, build_catalog_checks, catalog_assets, catalog_checks
from akeneo_pipeline.defs.connection import Connection
from akeneo_pipeline.defs.dbt import build_dbt_assets, dbt_resource
from akeneo_pipeline.defs.picklists import build_picklist_defs, picklist_assets, picklist_checks
from akeneo_pipeline.defs.products import build_entity_asset, build_product_checks, product_assets, product_checks
from akeneo_pipeline.defs.records import build_record_asset, build_record_checks, record_assets, record_checks
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.defs.salesforce import salesforce_assets
from akeneo_pipeline.settings import AutomationSettings
from akeneo_pipeline.streams import ENTITY_STREAMS, RECORD_STREAMS, STRUCTURE_STREAMS


def single_connection(automation: AutomationSettings) -> dg.Definitions:
    """Today's deployment: one connection from AKENEO_*, today's keys and names, with dbt."""
    return dg.Definitions(
        assets=[*catalog_assets, *product_assets, *record_assets, *picklist_assets, *salesforce_assets,
                build_dbt_assets()],
        asset_checks=[*catalog_checks, *product_checks, *record_checks, *picklist_checks],
        jobs=DEFAULT_JOBS.all(),
        schedules=build_schedules(automation),
        sensors=[build_change_sensor(automation)],
        resources={
            "akeneo": AkeneoResource(base_url=dg.EnvVar("AKENEO_BASE_URL")),
            "storage": StorageResource(),
            "dbt": dbt_resource(),
        },
        executor=dg.in_process_executor,
    )


def named_connection(spec: ConnectionSpec, automation: AutomationSettings) -> dg.Definitions:
    connection = Connection(spec.name)
    jobs = build_jobs(connection)
    assets = [build_catalog_asset(stream, connection) for stream in STRUCTURE_STREAMS.values()]
    assets += [build_entity_asset(stream, connection) for stream in ENTITY_STREAMS.values()]
    assets += [build_record_asset(stream, connection) for stream in RECORD_STREAMS.values()]
    picklists, picklist_checks_ = build_picklist_defs(connection)
    return dg.Definitions(
        assets=[*assets, *picklists],
        asset_checks=[*build_catalog_checks(connection), *build_product_checks(connection),
                      *build_record_checks(connection), *picklist_checks_],
        jobs=jobs.all(),
        schedules=build_schedules(automation, jobs, connection, spec.nightly_cron),
        sensors=[build_change_sensor(automation, jobs, connection)],
        resources={
            connection.akeneo_resource: AkeneoResource(base_url=dg.EnvVar(f"{spec.env_prefix}BASE_URL"),
                                                       env_prefix=spec.env_prefix),
            connection.storage_resource: StorageResource(warehouse_schema=spec.warehouse_schema,
                                                         subdirectory=spec.parquet_prefix),
        },
    )


def build_definitions(automation: AutomationSettings, connections: list[ConnectionSpec]) -> dg.Definitions:
    """The one Definitions: the single connection, or every declared one merged (no key is shared)."""
    if not connections:
        return single_connection(automation)
    merged = dg.Definitions.merge(*(named_connection(spec, automation) for spec in connections))
    return dg.Definitions(assets=merged.assets, asset_checks=merged.asset_checks, jobs=merged.jobs,
                          schedules=merged.schedules, sensors=merged.sensors, resources=merged.resources,
                          executor=dg.in_process_executor)
