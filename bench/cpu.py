"""The CPU ceiling: products per second through parse, flatten, Parquet and DuckDB, on one core.

Pages are fetched first (raw bodies, as the sandbox sent them) and then replayed from
memory, so neither the network nor the sandbox's own CPU is counted. The process
pins itself to one core, so the figure is what one core sustains (DuckDB's threads
are pinned with it). Stages are timed in one pass; the end-to-end figure is a
second pass through `Store.load_entities`, the code the products asset runs, and a third
pass loads the same products again into the now full warehouse (the merge path).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
from sqlalchemy import Connection

from akeneo_pipeline.akeneo import exact_json
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store, entity_load, flatten
from akeneo_pipeline.storage.entity_batches import flattened_batches
from akeneo_pipeline.storage.gc_pause import cyclic_gc_paused
from akeneo_pipeline.storage.parquet import write_part
from akeneo_pipeline.storage.schemas import ENTITY_TABLES, EntityTables
from akeneo_pipeline.storage.store import BATCH_ROWS
from akeneo_pipeline.storage.warehouse import Warehouse
from bench.baseline import PRODUCTS_PATH, password_token

IDENTIFIER = "sku"


def pin_to_one_core() -> int | None:
    """Pin this process (and threads it starts later) to one core; None where unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def fetch_bodies(settings: AkeneoSettings) -> list[bytes]:
    """Every products page's raw body, read with one search_after cursor."""
    bodies: list[bytes] = []
    with httpx.Client(base_url=settings.base_url, timeout=120.0) as http:
        headers = {"Authorization": f"Bearer {password_token(settings, http)}"}
        url: str = PRODUCTS_PATH
        params: dict[str, str | int] | None = {"pagination_type": "search_after", "limit": 100}
        while True:
            response = http.get(url, params=params, headers=headers)
            response.raise_for_status()
            bodies.append(response.content)
            link = json.loads(response.content)["_links"].get("next")
            if link is None:
                return bodies
            url, params = link["href"], None


class ValueRowsTimer:
    """While active, adds up the time flattening spends building value rows (part of `flatten`)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._value_rows = flatten._value_rows

    def __enter__(self) -> ValueRowsTimer:
        def timed(stream: EntityTables, keys: list[str], items: Sequence[dict]) -> pa.Table:
            started = time.perf_counter()
            try:
                return self._value_rows(stream, keys, items)
            finally:
                self.seconds += time.perf_counter() - started

        flatten._value_rows = timed
        return self

    def __exit__(self, *exc_info: object) -> None:
        flatten._value_rows = self._value_rows


class MergeTimer:
    """While active, adds up the time the real Store spends merging batches into the warehouse."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._merge = entity_load.merge_batch

    def __enter__(self) -> MergeTimer:
        def timed(wh: Warehouse, conn: Connection, es: EntityTables, entity_rows: pa.Table,
                  value_rows: pa.Table) -> None:
            started = time.perf_counter()
            self._merge(wh, conn, es, entity_rows, value_rows)
            self.seconds += time.perf_counter() - started

        entity_load.merge_batch = timed
        return self

    def __exit__(self, *exc_info: object) -> None:
        entity_load.merge_batch = self._merge


def measure(tmp: Path) -> dict[str, Any]:
    core = pin_to_one_core()
    bodies = fetch_bodies(AkeneoSettings(_env_file=None))
    es = ENTITY_TABLES["products"]
    timings = {"parse": 0.0, "flatten": 0.0, "values": 0.0, "parquet": 0.0}
    products = 0

    def pages(record: bool) -> Iterator[list[dict[str, Any]]]:
        for body in bodies:
            started = time.perf_counter()
            items = exact_json.loads(body)["_embedded"]["items"]  # as the client parses pages
            if record:
                timings["parse"] += time.perf_counter() - started
            yield items

    with cyclic_gc_paused(), ValueRowsTimer() as value_rows:  # as Store.load_entities runs them
        batches = flattened_batches(es, pages(True), BATCH_ROWS, "bench-cpu", IDENTIFIER, "uuid", "uuid")
        for n in itertools.count():
            started, parsed = time.perf_counter(), timings["parse"]
            batch = next(batches, None)
            timings["flatten"] += time.perf_counter() - started - (timings["parse"] - parsed)
            if batch is None:
                break
            entities, values = batch
            products += entities.num_rows
            started = time.perf_counter()
            write_part(tmp / "stages" / "products", entities, n)
            write_part(tmp / "stages" / "product_values", values, n)
            timings["parquet"] += time.perf_counter() - started
            del batch, entities, values
    timings["values"] = value_rows.seconds

    store = Store(tmp / "e2e", f"duckdb:///{tmp / 'e2e' / 'warehouse.duckdb'}")
    store.ensure_tables()
    started, cpu_started = time.perf_counter(), time.process_time()
    with MergeTimer() as merge:
        result = store.load_entities("products", pages(False), run_id="bench-cpu", next_cursor=None,
                                     identifier_attribute=IDENTIFIER)
    end_to_end = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    assert result.rows == products, (result.rows, products)
    # The same pages again: every key is stored, so each batch takes the merge path (old value
    # rows deleted, winners replaced), as a full re-read of a loaded catalog does.
    started = time.perf_counter()
    reload = store.load_entities("products", pages(False), run_id="bench-cpu-reload", next_cursor=None,
                                 identifier_attribute=IDENTIFIER)
    reload_seconds = time.perf_counter() - started
    assert reload.rows == products, (reload.rows, products)
    return {"core": core, "products": products, "value_rows": result.value_rows, **timings,
            "warehouse": merge.seconds, "end_to_end": end_to_end, "end_to_end_cpu": cpu_seconds,
            "reload": reload_seconds}
