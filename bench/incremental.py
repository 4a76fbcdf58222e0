"""Incremental cost: requests of a full run against a nightly run after 1% of products change.

Both runs make the calls the `nightly` job's assets make, in plain Python: every
catalog stream re-read whole, the options of every select attribute, then products
and product models from their stored cursors (plan_watermark, the windows' count
probes, the pages), through one client per run as `AkeneoResource` gives the assets
(one login per run). Requests are counted by the sandbox's log.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from akeneo_pipeline.akeneo import CATALOG_STREAMS, OPTION_ATTRIBUTE_TYPES, AkeneoClient
from akeneo_pipeline.storage import Store, queries
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
            store.load_snapshot(stream, client.iter_stream(stream), run_id=run_id)
        codes = queries.attribute_codes_of_types(store.warehouse, OPTION_ATTRIBUTE_TYPES)
        store.load_snapshot("attribute_options", client.iter_attribute_options(codes), run_id=run_id)
        for stream in ("products", "product_models"):
            cursor = store.get_cursor(stream)
            plan = client.plan_watermark(datetime.fromisoformat(cursor) if cursor else None)
            read = client.iter_products if stream == "products" else client.iter_product_models
            store.load_incremental(stream, read(updated_after=plan.updated_after), run_id=run_id,
                                   next_cursor=plan.next_watermark.isoformat(),
                                   identifier_attribute=queries.identifier_attribute(store.warehouse)
                                   if stream == "products" else None)


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
