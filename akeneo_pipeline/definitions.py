"""The one Definitions object: what `dagster dev`, `dagster asset materialize` and the
tests load. Every piece is declared in `akeneo_pipeline/defs/`; this file only
gathers them.

Steps run in one process: Akeneo allows 4 concurrent calls per connection, which
the client's single semaphore enforces only within a process, and an embedded
DuckDB file takes one writing process at a time.
"""

from __future__ import annotations

import dagster as dg

from akeneo_pipeline.defs.automation import (
    build_change_sensor,
    build_schedules,
    deletion_scan_job,
    nightly_job,
    picklists_refresh_job,
    products_refresh_job,
)
from akeneo_pipeline.defs.catalog import catalog_assets, catalog_checks
from akeneo_pipeline.defs.dbt import build_dbt_assets, dbt_resource
from akeneo_pipeline.defs.picklists import picklist_assets, picklist_checks
from akeneo_pipeline.defs.products import product_assets, product_checks
from akeneo_pipeline.defs.resources import AkeneoResource, StorageResource
from akeneo_pipeline.defs.salesforce import salesforce_assets
from akeneo_pipeline.settings import AutomationSettings

automation = AutomationSettings()

defs = dg.Definitions(
    assets=[*catalog_assets, *product_assets, *picklist_assets, *salesforce_assets, build_dbt_assets()],
    asset_checks=[*catalog_checks, *product_checks, *picklist_checks],
    jobs=[nightly_job, products_refresh_job, picklists_refresh_job, deletion_scan_job],
    schedules=build_schedules(automation),
    sensors=[build_change_sensor(automation)],
    resources={
        "akeneo": AkeneoResource(base_url=dg.EnvVar("AKENEO_BASE_URL")),
        "storage": StorageResource(),
        "dbt": dbt_resource(),
    },
    executor=dg.in_process_executor,
)
