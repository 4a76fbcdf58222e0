"""The pipeline's path as the Dagster assets walk it (AkeneoClient -> Store -> picklists), and the
check every reliability test ends with: the warehouse holds exactly the sandbox's catalog.

Also a script for the SIGKILL test: `python -m akeneo_pipeline_tests.reliability_pipeline
DATA_DIR RUN_ID BATCH_ROWS` reads AKENEO_* and WAREHOUSE_URL from the environment and runs one
products load, so the test can kill a real process in the middle of it.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from akeneo_pipeline.akeneo import CATALOG_STREAMS, OPTION_ATTRIBUTE_TYPES, AkeneoClient
from akeneo_pipeline.picklists import load_snapshot, record_picklist_changes
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sandbox.catalog import Catalog
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import CATALOG_TABLES, ENTITY_STREAMS, LoadResult, Store, queries
from akeneo_pipeline.sync import sync_entities

ADDED_BY_CLIENT = {"family_variants": "family"}  # the client adds it; raw keeps Akeneo's item as sent


@dataclass
class Proof:
    """What a test proved, printed as one line: faults injected, runs, rows compared."""

    name: str
    runs: int = 0
    rows_compared: int = 0
    faults: Counter = field(default_factory=Counter)

    def count_faults(self, server: SandboxServer) -> None:
        for entry in server.request_log:
            if entry.fault:
                self.faults[entry.fault] += 1
            elif entry.status == 429:
                self.faults["429" + (" (Retry-After)" if server.config.retry_after else " (no Retry-After)")] += 1

    def report(self) -> None:
        faults = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.faults.items())) or "none"
        print(f"\n[reliability] {self.name}: faults injected {{{faults}}}, runs {self.runs}, "
              f"rows compared {self.rows_compared}")


def load_catalog(client: AkeneoClient, store: Store, run_id: str) -> None:
    """The catalog assets, then `attribute_options` for the select attributes just stored."""
    for stream in CATALOG_STREAMS:
        store.load_snapshot(stream, client.iter_stream(stream), run_id=run_id)
    select_codes = queries.attribute_codes_of_types(store.warehouse, OPTION_ATTRIBUTE_TYPES)
    store.load_snapshot("attribute_options", client.iter_attribute_options(select_codes), run_id=run_id)


def load_entities(client: AkeneoClient, store: Store, stream: str, run_id: str, full_refresh: bool = False) -> LoadResult:
    """What `defs/products.py` runs: `sync_entities` (plan from the stored cursor, read, load, move the cursor)."""
    return sync_entities(client, store, stream, run_id, full_refresh=full_refresh).load


def run_pipeline(settings: AkeneoSettings, store: Store, run_id: str, *, picklists: bool = True,
                 deletions: bool = False) -> None:
    """One nightly run: catalog, products, product models, (deletion scan), picklist diff."""
    with AkeneoClient(settings) as client:
        load_catalog(client, store, run_id)
        for stream in ENTITY_STREAMS:
            load_entities(client, store, stream, run_id)
        if deletions:
            store.mark_deleted("products", client.scan_product_keys(), run_id=run_id)
    if picklists:
        record_picklist_changes(store.warehouse, store.data_dir, load_snapshot(store.warehouse), run_id,
                                datetime.now(timezone.utc))


def _api_form(raw: str, stream: str, row: dict[str, Any]) -> dict[str, Any]:
    item = json.loads(raw)
    item.pop("_links", None)
    if stream in ADDED_BY_CLIENT:
        item[ADDED_BY_CLIENT[stream]] = row[f"{ADDED_BY_CLIENT[stream]}_code"]
    return item


def assert_catalog_matches(store: Store, catalog: Catalog, streams: tuple[str, ...] = tuple(CATALOG_TABLES)) -> int:
    """Each catalog table holds every sandbox item once, byte for byte; returns rows compared."""
    compared = 0
    for stream in streams:
        spec, truth = CATALOG_TABLES[stream], catalog.items(stream)
        rows = store.read_table(stream).to_pylist()
        keys = [tuple(row[k] for k in spec.key) for row in rows]
        expected = {tuple(item[spec.source.get(k, k)] for k in spec.key): item for item in truth}
        assert len(keys) == len(set(keys)), f"{stream}: duplicate keys {[k for k, n in Counter(keys).items() if n > 1][:5]}"
        assert set(keys) == set(expected), f"{stream}: missing {set(expected) - set(keys)}, extra {set(keys) - set(expected)}"
        for key, row in zip(keys, rows):
            assert _api_form(row["raw"], stream, row) == expected[key], f"{stream} {key} differs from the sandbox"
        compared += len(rows)
    return compared


def assert_entities_match(store: Store, stream: str, truth: list[dict[str, Any]]) -> int:
    """Live rows = the sandbox's live items (raw and value rows exactly), no duplicates; returns rows compared."""
    es = ENTITY_STREAMS[stream]
    key = es.entity.key[0]
    rows = [row for row in store.read_table(stream).to_pylist() if row["deleted_at"] is None]
    got = Counter(row[key] for row in rows)
    assert max(got.values(), default=1) == 1, f"{stream}: duplicated {[k for k, n in got.items() if n > 1][:5]}"
    expected = {item[key]: item for item in truth}
    assert set(got) == set(expected), (f"{stream}: {len(set(expected) - set(got))} missing, "
                                       f"{len(set(got) - set(expected))} extra")
    for row in rows:
        assert _api_form(row["raw"], stream, row) == expected[row[key]], f"{stream} {row[key]} differs"
    values: dict[tuple, Any] = {}
    for v in store.read_table(es.values.name).to_pylist():
        if v[es.owner_column] in expected:
            at = (v[es.owner_column], v["attribute_code"], v["locale"], v["scope"])
            assert at not in values, f"{es.values.name}: duplicate value row {at}"
            values[at] = None if v["data"] is None else json.loads(v["data"])  # JSON null is stored as NULL
    truth_values = {(k, attr, one["locale"], one["scope"]): one["data"]
                    for k, item in expected.items() for attr, many in item["values"].items() for one in many}
    assert values == truth_values, f"{es.values.name}: {len(values)} rows, expected {len(truth_values)}"
    return len(rows) + len(values)


def assert_matches_sandbox(store: Store, catalog: Catalog) -> int:
    """The whole warehouse against the sandbox's ground truth; returns rows compared."""
    return (assert_catalog_matches(store, catalog)
            + assert_entities_match(store, "products", list(catalog.iter_products()))
            + assert_entities_match(store, "product_models", list(catalog.iter_product_models())))


def main(argv: list[str]) -> None:
    data_dir, run_id, batch_rows = argv
    store = Store(Path(data_dir), os.environ["WAREHOUSE_URL"], batch_rows=int(batch_rows))
    with AkeneoClient(AkeneoSettings(_env_file=None)) as client:
        result = load_entities(client, store, "products", run_id)
    print(f"loaded {result.rows} products")


if __name__ == "__main__":
    main(sys.argv[1:])
