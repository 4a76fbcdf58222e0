"""PostgreSQL: end to end through `Store.load_entities`, and the staging COPY measured two ways.

A PostgreSQL 15 server is started for the run (as the tests start theirs). The child
fetches every products page, then (1) loads them into PostgreSQL through the Store, as the
products asset does, and (2) stages the same batches' Arrow rows into temporary tables with
the CSV `COPY` the warehouse uses, and with ADBC's PostgreSQL driver (binary COPY from
Arrow), where that driver is installed. ADBC needs a connection of its own, so its rows
cannot join the warehouse's load transaction; it is measured to decide whether that would
be worth it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import create_engine

from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage.entity_batches import flattened_batches
from akeneo_pipeline.storage.schemas import ENTITY_TABLES
from akeneo_pipeline.storage.store import BATCH_ROWS
from akeneo_pipeline.storage.warehouse_stage import stage
from bench.results import Row, per_second
from bench.sandbox_process import SandboxProcess

URL_VARIABLE = "BENCH_POSTGRES_URL"


def run(sandbox: SandboxProcess, data_dir: Path | None = None) -> list[Row]:
    section = f"postgresql ({sandbox.products:,} products)"
    try:
        from akeneo_pipeline_tests.fixtures.postgres import start_postgres
    except ImportError:  # the test extra is not installed
        return [Row(section, "end to end (Store.load_entities)", "skipped: needs the test extra")]
    server = start_postgres()
    if server is None:
        return [Row(section, "end to end (Store.load_entities)", "skipped: no PostgreSQL server binaries")]
    from bench.memory import run_child

    try:
        os.environ[URL_VARIABLE] = server.new_database()
        sandbox.configure(latency_ms=0.0)
        out = run_child("postgres", sandbox, data_dir)
    finally:
        os.environ.pop(URL_VARIABLE, None)
        server.stop()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)
    n = out["products"]
    rows = [
        Row(section, "end to end (Store.load_entities, CSV COPY)", per_second(n, out["end_to_end"])),
        Row(section, "staging COPY: CSV (pyarrow CSV, psycopg)", per_second(n, out["csv"])),
    ]
    adbc = out.get("adbc")
    rows.append(Row(section, "staging COPY: binary (ADBC PostgreSQL driver)",
                    per_second(n, adbc) if adbc else "skipped: adbc-driver-postgresql not installed"))
    return rows


def measure(tmp: Path) -> dict[str, Any]:
    """The child's side (`python -m bench.child postgres`)."""
    from akeneo_pipeline.akeneo import exact_json
    from bench.cpu import fetch_bodies

    url = os.environ[URL_VARIABLE]
    bodies = fetch_bodies(AkeneoSettings(_env_file=None))

    def pages() -> Any:
        for body in bodies:
            yield exact_json.loads(body)["_embedded"]["items"]

    store = Store(tmp / "pg", url)
    store.ensure_tables()
    started = time.perf_counter()
    result = store.load_entities("products", pages(), run_id="bench-pg", next_cursor=None,
                                 identifier_attribute="sku")
    end_to_end = time.perf_counter() - started
    store.close()

    es = ENTITY_TABLES["products"]
    batches = list(flattened_batches(es, pages(), BATCH_ROWS, "bench-pg", "sku", "uuid", "uuid"))
    engine = create_engine(url)
    csv = 0.0
    with engine.connect() as conn:
        quote = engine.dialect.identifier_preparer.quote
        for entities, values in batches:
            with conn.begin() as transaction:
                started = time.perf_counter()
                stage(conn, "postgresql", quote, es.entity.schema, entities)
                stage(conn, "postgresql", quote, es.values.schema, values)
                csv += time.perf_counter() - started
                transaction.rollback()
    engine.dispose()
    out: dict[str, Any] = {"products": result.rows, "end_to_end": end_to_end, "csv": csv}
    out["adbc"] = _adbc(url, batches)
    return out


def _adbc(url: str, batches: list[tuple[pa.Table, pa.Table]]) -> float | None:
    try:
        import adbc_driver_postgresql.dbapi as adbc  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    seconds = 0.0
    with adbc.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for n, (entities, values) in enumerate(batches):
            with conn.cursor() as cursor:
                started = time.perf_counter()
                cursor.adbc_ingest(f"bench_entities_{n}", entities, mode="create", temporary=True)
                cursor.adbc_ingest(f"bench_values_{n}", values, mode="create", temporary=True)
                seconds += time.perf_counter() - started
            conn.rollback()
    return seconds
