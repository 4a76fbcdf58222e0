"""Jobs, the nightly schedule, the weekly deletion scan and the `akeneo_changes` sensor.

The sensor keeps Akeneo cheap to watch: one one-item search per product stream
and digests of the attribute options (options have no `updated` date, so reading
them again is the only way to see them change), a slice of select attributes per
tick within AKENEO_SENSOR_MAX_REQUESTS (sync/option_watch.py), so a tick ends
inside Dagster's evaluation timeout however large the catalog. Run keys make one change
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
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from akeneo_pipeline.akeneo import AppCatalogError
from akeneo_pipeline.defs.connection import DEFAULT, Connection, akeneo_of
from akeneo_pipeline.defs.keys import (
    ATTRIBUTE_OPTIONS_ASSET,
    ATTRIBUTES_ASSET,
    PICKLISTS_GROUP,
    SALESFORCE_PICKLISTS_ASSET,
    asset_key,
)
from akeneo_pipeline.settings import AutomationSettings
from akeneo_pipeline.streams import ENTITY_STREAMS, RECORD_STREAMS
from akeneo_pipeline.sync.option_watch import OptionLook, OptionWatch, watch_options

ENTITY_ASSETS = [asset_key(stream) for stream in ENTITY_STREAMS.values()]
RECORD_ASSETS = [asset_key(stream) for stream in RECORD_STREAMS.values()]  # reference entity records, assets
# What the Enterprise picklists are read from (picklists/commit.py), and the parents they need stored.
EDITION_PICKLIST_ASSETS = [asset_key(name) for name in (
    "reference_entities", "reference_entity_records", "table_attribute_columns", "table_select_options")]


@dataclass(frozen=True)
class ConnectionJobs:
    """One connection's jobs: the same four for each, named and selected within its own assets."""

    nightly: UnresolvedAssetJobDefinition
    products_refresh: UnresolvedAssetJobDefinition
    picklists_refresh: UnresolvedAssetJobDefinition
    deletion_scan: UnresolvedAssetJobDefinition

    def all(self) -> list[UnresolvedAssetJobDefinition]:
        return [self.nightly, self.products_refresh, self.picklists_refresh, self.deletion_scan]


def build_jobs(connection: Connection = DEFAULT) -> ConnectionJobs:
    key = connection.key
    entities = [key(k) for k in ENTITY_ASSETS]
    records = [key(k) for k in RECORD_ASSETS]
    everything = (dg.AssetSelection.all() if connection.name is None
                  else dg.AssetSelection.key_prefixes([connection.name]))
    # The Salesforce target is built for the single connection only (defs/deployment.py).
    salesforce = (dg.AssetSelection.assets(SALESFORCE_PICKLISTS_ASSET) if connection.name is None
                  else dg.AssetSelection.assets())
    return ConnectionJobs(
        nightly=dg.define_asset_job(
            connection.job("nightly"),
            selection=everything,
            description="Everything: catalog structure, options, products incrementally, picklist diffs and dbt.",
        ),
        products_refresh=dg.define_asset_job(
            connection.job("products_refresh"),
            selection=dg.AssetSelection.assets(*entities).downstream() & everything,
            description="Products and product models changed since their cursor, and what depends on them.",
        ),
        picklists_refresh=dg.define_asset_job(
            connection.job("picklists_refresh"),
            selection=dg.AssetSelection.assets(key(ATTRIBUTES_ASSET), key(ATTRIBUTE_OPTIONS_ASSET),
                                               *(key(k) for k in EDITION_PICKLIST_ASSETS))
            | dg.AssetSelection.groups(connection.group(PICKLISTS_GROUP))
            | salesforce,
            description="Attributes, attribute options, the Enterprise picklists' records and table select options "
            "(skipped where the edition has none), the picklist diffs computed from them and (single connection) "
            "their Salesforce deploy.",
        ),
        deletion_scan=dg.define_asset_job(
            connection.job("deletion_scan"),
            selection=dg.AssetSelection.assets(*entities, *records),
            config={"ops": {
                **{k.to_python_identifier(): {"config": {"detect_deletions": True}} for k in entities},
                # Records and assets: a full read replaces their tables (Akeneo lists no removals).
                **{k.to_python_identifier(): {"config": {"full_refresh": True}} for k in records}}},
            description="Key-scans Akeneo and soft-deletes products and product models that disappeared, and reads "
            "reference entity records and assets whole. It costs a request per 100 products, so it runs weekly "
            "rather than nightly.",
        ),
    )


DEFAULT_JOBS = build_jobs()
nightly_job = DEFAULT_JOBS.nightly
products_refresh_job = DEFAULT_JOBS.products_refresh
picklists_refresh_job = DEFAULT_JOBS.picklists_refresh
deletion_scan_job = DEFAULT_JOBS.deletion_scan


def build_schedules(settings: AutomationSettings, jobs: ConnectionJobs = DEFAULT_JOBS,
                    connection: Connection = DEFAULT, nightly_cron: str | None = None) -> list[dg.ScheduleDefinition]:
    return [
        dg.ScheduleDefinition(
            name=connection.job("nightly"),
            job=jobs.nightly,
            cron_schedule=nightly_cron or settings.nightly_cron,
            execution_timezone=settings.nightly_timezone,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        ),
        dg.ScheduleDefinition(
            name=connection.job("weekly_deletion_scan"),
            job=jobs.deletion_scan,
            cron_schedule=settings.deletion_scan_cron,
            execution_timezone=settings.nightly_timezone,
        ),
    ]


@dataclass
class ChangeCursor:
    """What the sensor has already seen: the last whole second of Akeneo's clock it
    judged, and where its watch of the attribute options stands (sync/option_watch.py: a
    digest per select attribute, the attributes of the pass still to read, complete passes;
    `options_fingerprint` sums up the last complete pass). `None` means not seen yet: the
    first tick records a baseline."""

    checked_at: str | None = None
    options_fingerprint: str | None = None
    option_digests: dict[str, str] = field(default_factory=dict)
    option_pending: list[list[str]] = field(default_factory=list)
    option_passes: int = 0

    @classmethod
    def parse(cls, raw: str | None) -> "ChangeCursor":
        return cls(**json.loads(raw)) if raw else cls()

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def watch(self) -> OptionWatch:
        return OptionWatch(digests=dict(self.option_digests), pending=[list(p) for p in self.option_pending],
                           passes=self.option_passes)


def _look_line(look: OptionLook, watch: OptionWatch) -> str:
    """The tick's account of the options it read, for the SkipReason or the log."""
    line = f"options of {look.read} select attribute(s) read in {look.requests} request(s)"
    if look.cut_short is not None:
        line += (f"; stopped at the {look.cut_short} with {look.remaining} of {look.total} attribute(s) of this "
                 f"pass left, the next tick resumes at {watch.pending[0][0]!r}")
    return line


def build_change_sensor(settings: AutomationSettings, jobs: ConnectionJobs = DEFAULT_JOBS,
                        connection: Connection = DEFAULT) -> dg.SensorDefinition:
    products_refresh_job, picklists_refresh_job = jobs.products_refresh, jobs.picklists_refresh

    @dg.sensor(
        name=connection.job("akeneo_changes"),
        jobs=[products_refresh_job, picklists_refresh_job],
        required_resource_keys={connection.akeneo_resource},
        minimum_interval_seconds=settings.sensor_interval_seconds,
        description="Asks Akeneo whether products, product models or attribute options changed "
        "and requests one refresh run per change. A tick makes at most AKENEO_SENSOR_MAX_REQUESTS "
        "requests; on a large catalog the options are watched a slice of attributes per tick.",
    )
    def akeneo_changes(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        akeneo = akeneo_of(context, connection)
        deadline = time.monotonic() + settings.sensor_time_budget_seconds
        cursor = ChangeCursor.parse(context.cursor)
        requests: list[dg.RunRequest] = []
        watch = cursor.watch()
        catalog_problem: str | None = None
        with akeneo.client(check_catalog=False) as client, client.metered() as spent:
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
            look = watch_options(client, watch, settings.sensor_max_requests - spent.total().requests, deadline)
        if look.changed:
            digest = hashlib.sha256(",".join(look.changed).encode()).hexdigest()[:16]
            requests.append(
                dg.RunRequest(
                    # The tick's time too: options changed back to an earlier state are a new change.
                    run_key=f"picklists_refresh:{now.isoformat()}:{digest}",
                    job_name=picklists_refresh_job.name,
                    tags={"akeneo/changed_attributes": ",".join(look.changed)[:200]},
                )
            )
        new_cursor = ChangeCursor(checked_at=checked_up_to.isoformat(),
                                  options_fingerprint=watch.fingerprint or cursor.options_fingerprint,
                                  option_digests=watch.digests, option_pending=watch.pending,
                                  option_passes=watch.passes)
        line = _look_line(look, watch)
        if not requests:
            if cursor.checked_at is None or watch.passes == 0:
                reason = "Baseline recorded" if watch.passes else "Baseline in progress"
            else:
                reason = "No change in Akeneo since the last check"
            return dg.SensorResult(skip_reason=dg.SkipReason(f"{catalog_problem or reason}: {line}"),
                                   cursor=new_cursor.dump())
        context.log.info(f"Requesting {len(requests)} run(s): {line}")
        return dg.SensorResult(run_requests=requests, cursor=new_cursor.dump())

    return akeneo_changes
