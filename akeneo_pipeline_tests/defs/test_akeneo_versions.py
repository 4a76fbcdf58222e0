"""The Dagster jobs against Akeneo 6 (products by identifier), then the same catalog served as
Akeneo 7 after an upgrade, and against a server that answers less than the docs promise.
Real Definitions, an ephemeral instance, the sandbox on 127.0.0.1 and a DuckDB file."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer
from akeneo_pipeline.sandbox.catalog import STREAMS
from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage.product_keys import identifier_uuid
from akeneo_pipeline_tests.fixtures.dagster import materializations
from akeneo_pipeline_tests.fixtures.env import deployment, point_env_at

pytestmark = pytest.mark.slow

PRODUCT_COUNT = 150
EDITED, DELETED = 5, 3


def metadata(result: dg.ExecuteInProcessResult, key: str) -> dict[str, Any]:
    return materializations(result)[key]


def failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return [f"{e.asset_key.to_user_string()}:{e.check_name}" for e in result.get_asset_check_evaluations()
            if not e.passed]


def identifiers(server: SandboxServer) -> dict[str, str]:
    """identifier -> uuid of every live product."""
    return {p["values"]["sku"][0]["data"]: p["uuid"] for p in server.catalog.iter_products()}


@dataclass
class Upgrade:
    server: SandboxServer
    store: Store
    nightly6: dg.ExecuteInProcessResult
    scan6: dg.ExecuteInProcessResult
    rows6: list[dict[str, Any]]
    truth6: dict[str, str]
    paths6: Counter[str]  # paths answered 200 while the sandbox played Akeneo 6
    nightly7: dg.ExecuteInProcessResult
    refresh7: dg.ExecuteInProcessResult
    truth7: dict[str, str]


@pytest.fixture(scope="module")
def upgrade(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upgrade]:
    config = SandboxConfig(products=PRODUCT_COUNT, seed=11, anchor=int(time.time()) - 86_400, akeneo_version=6)
    data_dir = tmp_path_factory.mktemp("akeneo6")
    # The 6.x edits, a few seconds before the upgrade run, stay out of the last refresh's overlap.
    with deployment(config, data_dir, AKENEO_BACKOFF_BASE="0.02", AKENEO_UPDATED_OVERLAP_SECONDS="1") as deployed:
        server, run = deployed.server, deployed.run
        store = Store(data_dir, f"duckdb:///{data_dir / 'warehouse.duckdb'}")
        nightly6 = run("nightly")
        server.catalog.update_products(EDITED)
        server.catalog.delete_products(DELETED)
        scan6 = run("deletion_scan")  # an incremental read, then the key scan
        truth6 = identifiers(server)
        rows6 = store.read_table("products").to_pylist()
        paths6 = Counter(e.path for e in server.request_log if e.status == 200)
        server.configure(akeneo_version=7)  # the PIM was upgraded: same catalog, uuid routes
        nightly7 = run("nightly")
        server.catalog.update_products(EDITED)
        refresh7 = run("deletion_scan")
        truth7 = identifiers(server)
        yield Upgrade(server, store, nightly6, scan6, rows6, truth6, paths6, nightly7, refresh7, truth7)


def test_nightly_on_akeneo_6_loads_every_product_keyed_by_identifier(upgrade: Upgrade) -> None:
    assert upgrade.nightly6.success and failed_checks(upgrade.nightly6) == []
    products = metadata(upgrade.nightly6, "akeneo/products")
    assert products["akeneo_product_key"] == "identifier"
    assert products["dagster/row_count"] == PRODUCT_COUNT and products["rows_read"] == PRODUCT_COUNT
    assert upgrade.paths6["/api/rest/v1/products"] > 0 and upgrade.paths6["/api/rest/v1/products-uuid"] == 0
    for stream in STREAMS:
        assert metadata(upgrade.nightly6, f"akeneo/{stream}")["dagster/row_count"] == \
            len(upgrade.server.catalog.items(stream))


def test_akeneo_6_refresh_and_deletion_scan_work_by_identifier(upgrade: Upgrade) -> None:
    assert upgrade.scan6.success
    scan = metadata(upgrade.scan6, "akeneo/products")
    assert scan["rows_read"] == EDITED and scan["akeneo_product_key"] == "identifier"
    assert scan["deleted"] == DELETED and scan["dagster/row_count"] == PRODUCT_COUNT - DELETED
    live = {r["identifier"]: r["uuid"] for r in upgrade.rows6 if r["deleted_at"] is None}
    assert live == {i: identifier_uuid(i) for i in upgrade.truth6}


def test_the_upgrade_to_7_rekeys_once_without_duplicates_or_losses(upgrade: Upgrade) -> None:
    assert upgrade.nightly7.success and failed_checks(upgrade.nightly7) == []
    products = metadata(upgrade.nightly7, "akeneo/products")
    assert products["akeneo_product_key"] == "uuid" and products["rekeyed"] is True
    assert products["rows_read"] == PRODUCT_COUNT - DELETED and products["dagster/row_count"] == PRODUCT_COUNT - DELETED
    rows = upgrade.store.read_table("products").to_pylist()
    live = [r for r in rows if r["deleted_at"] is None]
    assert Counter(r["identifier"] for r in live) == Counter(list(upgrade.truth7))  # each product once
    assert {r["uuid"] for r in live} == set(upgrade.truth7.values())  # Akeneo's own uuids now
    # The products deleted under 6.x stay soft-deleted rows; nothing else is left of the 6.x keys.
    assert len(rows) == len(live) + DELETED
    assert all(r["deleted_at"] is not None for r in rows if r["uuid"] not in set(upgrade.truth7.values()))
    owners = {r["product_uuid"] for r in upgrade.store.read_table("product_values").to_pylist()}
    assert set(upgrade.truth7.values()) <= owners <= {r["uuid"] for r in rows}
    assert upgrade.store.key_field("products") == "uuid"


def test_after_the_upgrade_runs_are_incremental_again(upgrade: Upgrade) -> None:
    assert upgrade.refresh7.success
    refresh = metadata(upgrade.refresh7, "akeneo/products")
    assert refresh["rows_read"] == EDITED and "rekeyed" not in refresh
    assert refresh["deleted"] == 0 and refresh["dagster/row_count"] == PRODUCT_COUNT - DELETED
    assert refresh["cursor_before"] == metadata(upgrade.nightly7, "akeneo/products")["cursor_after"]


def test_nightly_on_a_server_that_answers_less_than_the_docs_loads_everything(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case: no items_count, measurement families as pages; and relative links, null
    # fields left out, no route list and a proxy's HTML error pages, all at once.
    server = sandbox_factory(products=250, seed=4, omit_items_count=True, measurement_families_paged=True,
                             relative_links=True, omit_null_fields=True, route_list_status=404, error_body="html")
    point_env_at(monkeypatch, server, tmp_path)
    from akeneo_pipeline.definitions import defs

    result = defs.resolve_job_def("nightly").execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                                                raise_on_error=False)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    assert failed_checks(result) == []
    for stream in STREAMS:
        assert metadata(result, f"akeneo/{stream}")["dagster/row_count"] == len(server.catalog.items(stream))
    assert metadata(result, "akeneo/products")["dagster/row_count"] == 250
    assert metadata(result, "akeneo/product_models")["dagster/row_count"] == \
        sum(1 for _ in server.catalog.iter_product_models())
