"""Incremental cost: requests of a full run against a nightly run after 1% of products change.

Both runs call what the `nightly` job's assets call (`sync_catalog` for every catalog
stream, attribute options included, then `sync_entities` for products and product models
from their stored cursors: plan_watermark, the windows' count probes, the pages), through
one client per run as `AkeneoResource` gives the assets (one login per run). dbt and the
picklist diff make no Akeneo request on a run without a removal, so they are left out.
Requests are counted by the sandbox's log.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import CATALOG_STREAMS, ENTITY_STREAMS
from akeneo_pipeline.sync import sync_catalog, sync_entities
from bench.results import Row
from bench.sandbox_process import SandboxProcess

TARGET_FRACTION = 1 / 50
CHANGED_FRACTION = 0.01


def endpoint_of(path: str) -> str:
    """Group logged paths the way the table reports them (the server clock is read from
    `/currencies`, so it counts with the structure)."""
    if path.endswith("/token"):
        return "token"
    if "/products-uuid" in path or "/product-models" in path:
        return "products + product models"
    return "catalog structure + clock"


def nightly(sandbox: SandboxProcess, store: Store, run_id: str) -> None:
    settings = sandbox.settings(max_concurrency=4)
    with AkeneoClient(settings) as client:  # one client per run, as AkeneoResource gives the assets
        for stream in CATALOG_STREAMS:
            sync_catalog(client, store, stream, run_id)
        for kind in ENTITY_STREAMS:
            sync_entities(client, store, kind, run_id)


def counted(sandbox: SandboxProcess) -> Counter[str]:
    return Counter(endpoint_of(entry["path"]) for entry in sandbox.api_requests())


def run(sandbox: SandboxProcess, data_dir: Path) -> list[Row]:
    store = Store(data_dir, f"duckdb:///{data_dir / 'warehouse.duckdb'}")
    sandbox.configure(latency_ms=0.0, concurrency_limit=4)
    sandbox.clear_log()
    nightly(sandbox, store, "bench-full")
    full = counted(sandbox)
    changed = max(1, round(sandbox.products * CHANGED_FRACTION))
    sandbox.admin("POST", "products/update", {"n": changed})
    sandbox.clear_log()
    nightly(sandbox, store, "bench-nightly")
    night = counted(sandbox)
    fraction = sum(night.values()) / sum(full.values())
    section = f"incremental ({sandbox.products:,} products, {changed:,} changed)"
    detail = lambda c: ", ".join(f"{k} {v}" for k, v in sorted(c.items()))  # noqa: E731
    products_fraction = night["products + product models"] / full["products + product models"]
    return [
        Row(section, "requests, full run", f"{sum(full.values()):,} ({detail(full)})"),
        Row(section, "requests, nightly run", f"{sum(night.values()):,} ({detail(night)})"),
        Row(section, "nightly / full", f"1/{1 / fraction:.0f}", f"<= 1/{1 / TARGET_FRACTION:.0f}",
            fraction <= TARGET_FRACTION),
        Row(section, "nightly / full, products + product models only", f"1/{1 / products_fraction:.0f}",
            f"<= 1/{1 / TARGET_FRACTION:.0f}", products_fraction <= TARGET_FRACTION),
    ]
