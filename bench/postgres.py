"""PostgreSQL: end to end through `Store.load_entities`, and the staging COPY measured two ways.

A PostgreSQL 15 server is started for the run (as the tests start theirs). The child
fetches every products page, then (1) loads them into PostgreSQL through the Store, as the
products asset does (binary COPY by ADBC's PostgreSQL driver, `storage/postgres_stage.py`),
and (2) stages the same batches' Arrow rows twice inside a transaction that is rolled back:
with the CSV `COPY` the warehouse used before (pyarrow CSV through psycopg, kept here only to
compare), and with `Warehouse.stage`, the binary path the load uses.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, create_engine

from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage import warehouse_sql as sql
from akeneo_pipeline.storage.entity_batches import flattened_batches
from akeneo_pipeline.storage.postgres_text import without_nul
from akeneo_pipeline.storage.schemas import ENTITY_TABLES
from akeneo_pipeline.storage.store import BATCH_ROWS
from akeneo_pipeline.storage.warehouse import Warehouse
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
    return [
        Row(section, "end to end (Store.load_entities, binary COPY)", per_second(n, out["end_to_end"])),
        Row(section, "staging COPY: CSV (pyarrow CSV, psycopg)", per_second(n, out["csv"])),
        Row(section, "staging COPY: binary (ADBC PostgreSQL driver)", per_second(n, out["binary"])),
    ]


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
        for entities, values in batches:
            with conn.begin() as transaction:
                started = time.perf_counter()
                _csv_copy(conn, es.entity.schema, entities)
                _csv_copy(conn, es.values.schema, values)
                csv += time.perf_counter() - started
                transaction.rollback()
    engine.dispose()
    binary = 0.0
    warehouse = Warehouse(url)
    with warehouse.connect() as conn:
        for entities, values in batches:
            with warehouse.transaction(conn, "bench binary staging"):
                started = time.perf_counter()
                warehouse.stage(conn, es.entity.schema, entities)
                warehouse.stage(conn, es.values.schema, values)
                binary += time.perf_counter() - started
                conn.rollback()
    warehouse.dispose()
    return {"products": result.rows, "end_to_end": end_to_end, "csv": csv, "binary": binary}


def _csv_copy(conn: Connection, schema: pa.Schema, table: pa.Table) -> None:
    """The CSV COPY the warehouse used before binary COPY: a temporary table filled with CSV
    written by pyarrow (every string quoted, NULL unquoted-empty) through psycopg's COPY."""
    quote = conn.dialect.identifier_preparer.quote
    name = quote(f"_bench_csv_{time.perf_counter_ns()}")
    conn.exec_driver_sql(sql.create_table("postgresql", quote, name, schema, key=()).replace(
        "CREATE TABLE IF NOT EXISTS", "CREATE TEMPORARY TABLE", 1) + " ON COMMIT DROP")
    raw = conn.connection.driver_connection
    assert raw is not None
    options = pacsv.WriteOptions(include_header=False)
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {name} ({sql.column_list(quote, schema.names)}) FROM STDIN (FORMAT csv)") as copy:
        for batch in table.select(schema.names).to_batches(20_000):
            buffer = io.BytesIO()
            pacsv.write_csv(pa.Table.from_batches([without_nul(batch, schema)]), buffer, options)
            copy.write(buffer.getbuffer())
