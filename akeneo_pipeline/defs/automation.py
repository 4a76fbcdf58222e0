"""Jobs, the nightly schedule, the weekly deletion scan and the `akeneo_changes` sensor.

The sensor keeps Akeneo cheap to watch: one one-item search per product stream
and a fingerprint of the attribute options (options have no `updated` date, so
a fingerprint is the only way to see them change). Run keys make one change
trigger one run, however often the sensor ticks. Each tick uses a client of its
own, so it reads Akeneo's route list once per tick: one extra, token-free request
every few minutes, which is cheaper than keeping state between ticks.

In catalog mode (AKENEO_CATALOG_ID) the products question goes to the App catalog
(`GET /catalogs/{id}/products?updated_after=..&limit=1`, through `AkeneoClient.has_changes`):
an edit outside the selection triggers nothing. A catalog that cannot be read (disabled,
deleted, scopes lost) asks for no products run and keeps the products' checked time, so
the changes are seen once it is enabled again; the tick says why.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset,
# check and sensor functions (context, config) at definition time.
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import dagster as dg

from akeneo_pipeline.akeneo import AkeneoClient, AppCatalogError
from akeneo_pipeline.defs.keys import (
    ATTRIBUTE_OPTIONS_ASSET,
    ATTRIBUTES_ASSET,
    PICKLISTS_GROUP,
    SALESFORCE_PICKLISTS_ASSET,
    asset_key,
)
from akeneo_pipeline.defs.resources import AkeneoResource
from akeneo_pipeline.picklists.fingerprint import snapshot_fingerprint
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.settings import AutomationSettings
from akeneo_pipeline.streams import CATALOG_STREAMS, ENTITY_STREAMS

ENTITY_ASSETS = [asset_key(stream) for stream in ENTITY_STREAMS.values()]

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Everything: catalog structure, options, products incrementally, picklist diffs and dbt.",
)
products_refresh_job = dg.define_asset_job(
    "products_refresh",
    selection=dg.AssetSelection.assets(*ENTITY_ASSETS).downstream(),
    description="Products and product models changed since their cursor, and what depends on them.",
)
picklists_refresh_job = dg.define_asset_job(
    "picklists_refresh",
    selection=dg.AssetSelection.assets(ATTRIBUTES_ASSET, ATTRIBUTE_OPTIONS_ASSET)
    | dg.AssetSelection.groups(PICKLISTS_GROUP)
    | dg.AssetSelection.assets(SALESFORCE_PICKLISTS_ASSET),
    description="Attributes, attribute options, the picklist diffs computed from them and their Salesforce deploy.",
)
deletion_scan_job = dg.define_asset_job(
    "deletion_scan",
    selection=dg.AssetSelection.assets(*ENTITY_ASSETS),
    config={
        "ops": {
            key.to_python_identifier(): {"config": {"detect_deletions": True}}
            for key in ENTITY_ASSETS
        }
    },
    description="Key-scans Akeneo and soft-deletes products and product models that disappeared. "
    "It costs a request per 100 products, so it runs weekly rather than nightly.",
)


def build_schedules(settings: AutomationSettings) -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name="nightly",
            job=nightly_job,
            cron_schedule=settings.nightly_cron,
            execution_timezone=settings.nightly_timezone,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        ),
        dg.ScheduleDefinition(
            name="weekly_deletion_scan",
            job=deletion_scan_job,
            cron_schedule=settings.deletion_scan_cron,
            execution_timezone=settings.nightly_timezone,
        ),
    ]


@dataclass
class ChangeCursor:
    """What the sensor has already seen: the last whole second of Akeneo's clock it
    judged and the options fingerprint. `None` means not seen yet: the first tick
    records a baseline."""

    checked_at: str | None = None
    options_fingerprint: str | None = None

    @classmethod
    def parse(cls, raw: str | None) -> "ChangeCursor":
        return cls(**json.loads(raw)) if raw else cls()

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def _options_fingerprint(client: AkeneoClient) -> str:
    options_stream = CATALOG_STREAMS["attribute_options"]
    assert options_stream.parent is not None
    attributes = [item for page in client.iter_stream("attributes") for item in page]
    selects = [item["code"] for item in attributes if item.get("type") in options_stream.parent.types]
    options = [item for page in client.iter_children(options_stream, selects) for item in page]
    return snapshot_fingerprint(OptionSnapshot.from_akeneo(attributes, options))


def build_change_sensor(settings: AutomationSettings) -> dg.SensorDefinition:
    @dg.sensor(
        name="akeneo_changes",
        jobs=[products_refresh_job, picklists_refresh_job],
        minimum_interval_seconds=settings.sensor_interval_seconds,
        description="Asks Akeneo whether products, product models or attribute options changed "
        "and requests one refresh run per change.",
    )
    def akeneo_changes(context: dg.SensorEvaluationContext, akeneo: AkeneoResource) -> dg.SensorResult:
        cursor = ChangeCursor.parse(context.cursor)
        requests: list[dg.RunRequest] = []
        catalog_problem: str | None = None
        with akeneo.client(check_catalog=False) as client:
            # `updated` has whole seconds: judge only the seconds that are over, so a save
            # later in this second is seen next tick, and seen once.
            now = client.server_time()
            checked_up_to = now - timedelta(seconds=1)
            if cursor.checked_at is not None:
                since = datetime.fromisoformat(cursor.checked_at)
                try:
                    changed = [name for name in ENTITY_STREAMS if client.has_changes(name, since, before=now)]
                except AppCatalogError as exc:
                    catalog_problem, changed = str(exc), []
                    context.log.warning(catalog_problem)
                    checked_up_to = since  # judged nothing: look at these seconds again next tick
                if changed:
                    requests.append(
                        dg.RunRequest(
                            run_key=f"products_refresh:{checked_up_to.isoformat()}",
                            job_name=products_refresh_job.name,
                            tags={"akeneo/changed": ",".join(changed), "akeneo/changed_since": cursor.checked_at},
                        )
                    )
            fingerprint = _options_fingerprint(client)
        if cursor.options_fingerprint is not None and fingerprint != cursor.options_fingerprint:
            requests.append(
                dg.RunRequest(
                    # The tick's time too: options changed back to an earlier state are a new change.
                    run_key=f"picklists_refresh:{now.isoformat()}:{fingerprint[:16]}",
                    job_name=picklists_refresh_job.name,
                    tags={"akeneo/options_fingerprint": fingerprint[:16]},
                )
            )
        new_cursor = ChangeCursor(checked_at=checked_up_to.isoformat(), options_fingerprint=fingerprint)
        if not requests:
            reason = "No change in Akeneo since the last check" if cursor.checked_at else "Baseline recorded"
            return dg.SensorResult(
                skip_reason=dg.SkipReason(catalog_problem or reason),
                cursor=new_cursor.dump(),
            )
        return dg.SensorResult(run_requests=requests, cursor=new_cursor.dump())

    return akeneo_changes
