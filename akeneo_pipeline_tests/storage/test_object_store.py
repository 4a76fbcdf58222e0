"""Parquet on object storage, against an S3-compatible server on 127.0.0.1 (moto's server mode):
a whole night with `s3://` Parquet ends exact, the published parts hold the run's rows, and a
products load killed with SIGKILL leaves nothing of that run visible in the bucket (no half part,
no lone manifest) while the rerun ends exact and is published whole."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage.object_store import ObjectStore, ParquetUrlError
from akeneo_pipeline.sync import sync_entities
from akeneo_pipeline_tests.fixtures.pipeline import (
    assert_matches_sandbox,
    load_catalog,
    run_pipeline,
    start_loader,
)
from akeneo_pipeline_tests.fixtures.s3 import S3Server
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]


def _rows(objects: ObjectStore, paths: list[str], column: str) -> list[str]:
    return [value for path in paths
            for value in pq.read_table(path, filesystem=objects.fs, columns=[column]).column(column).to_pylist()
            if value is not None]


def test_a_night_with_s3_parquet_ends_exact_and_publishes_each_load_whole(
        sandbox_factory: Factory, s3_server: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = sandbox_factory(products=120, seed=2)
    monkeypatch.setenv("AKENEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAREHOUSE_URL", f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    monkeypatch.setenv("AKENEO_PARQUET_URL", s3_server.url("nightly"))
    monkeypatch.setenv("AKENEO_S3_ENDPOINT_URL", s3_server.endpoint_url)
    store = Store.from_settings(StorageSettings(_env_file=None))  # what StorageResource makes
    assert store.object_store is not None
    run_pipeline(settings_for(server), store, "night-1")
    assert_matches_sandbox(store, server.catalog)

    objects = store.object_store
    truth = sorted(p["uuid"] for p in server.catalog.iter_products())
    products = objects.read_manifest("products", "night-1")
    assert products is not None
    assert sorted(_rows(objects, products, "uuid")) == truth
    assert sorted(_rows(objects, objects.dataset_files("products"), "uuid")) == truth
    values = objects.read_manifest("product_values", "night-1")
    assert values and sum(pq.read_metadata(p, filesystem=objects.fs).num_rows for p in values) == \
        store.table_rows("product_values")
    families = objects.read_manifest("families", "night-1")
    assert families and sorted(_rows(objects, families, "code")) == sorted(
        f["code"] for f in server.catalog.items("families"))
    # The manifests are no data: a dataset over the prefix sees parts only.
    assert all("/_manifests/" not in path for path in objects.dataset_files("products"))


def test_parquet_url_must_be_s3_without_credentials() -> None:
    with pytest.raises(ValueError, match="AKENEO_PARQUET_URL must look like s3://bucket/prefix"):
        StorageSettings(_env_file=None, AKENEO_PARQUET_URL="https://bucket/prefix")
    with pytest.raises(ValueError, match="AKENEO_PARQUET_URL") as raised:
        StorageSettings(_env_file=None, AKENEO_PARQUET_URL="s3://key:s3cret-91@bucket/prefix")
    assert "s3cret-91" not in str(raised.value)
    with pytest.raises(ValueError, match="for object storage set AKENEO_PARQUET_URL"):
        StorageSettings(_env_file=None, AKENEO_DATA_DIR="s3://bucket/prefix")
    with pytest.raises(ParquetUrlError, match="AKENEO_S3_ENDPOINT_URL"):
        ObjectStore("s3://bucket/prefix", endpoint_url="127.0.0.1:9000")


@pytest.mark.slow
def test_products_load_killed_with_sigkill_publishes_nothing_and_the_rerun_ends_exact(
        sandbox_factory: Factory, s3_server: S3Server, tmp_path: Path) -> None:
    server = sandbox_factory(products=600, seed=3)
    data_dir, url = tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    objects = ObjectStore(s3_server.url("killed"), s3_server.endpoint_url)
    store = Store(data_dir, url, batch_rows=20, object_store=objects)
    settings = settings_for(server, page_size=10)
    with AkeneoClient(settings) as client:
        load_catalog(client, store, "night-1")

    server.configure(latency_ms=40)  # slow enough for the kill to land between batches
    loader = start_loader(server, data_dir, url, "night-2", AKENEO_PARQUET_URL=objects.url,
                          AKENEO_S3_ENDPOINT_URL=s3_server.endpoint_url)
    local_parts = data_dir / "parquet" / "products" / "run=night-2"
    deadline = time.monotonic() + 60
    while len(list(local_parts.glob("part-*.parquet"))) < 3 and loader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(loader.pid, signal.SIGKILL)
    _, stderr = loader.communicate(timeout=30)
    assert loader.returncode == -signal.SIGKILL, f"the loader ended before the kill: {stderr[-2000:]}"
    server.configure(latency_ms=0)

    landed = store.table_rows("products")
    assert 0 < landed < 600, f"{landed} products committed: the kill did not land mid-load"
    # Nothing of the killed run is in the bucket, hidden names included: no half part, no manifest.
    assert [path for path in s3_server.objects("killed") if "night-2" in path] == []
    assert objects.read_manifest("products", "night-2") is None
    # Every object there is a whole Parquet file or a manifest.
    for path in s3_server.objects("killed"):
        if path.endswith(".parquet"):
            pq.read_metadata(path, filesystem=objects.fs)

    server.catalog.update_products(25)
    with AkeneoClient(settings) as client:
        sync_entities(client, store, "products", "night-3")
        sync_entities(client, store, "product_models", "night-3")
    assert_matches_sandbox(store, server.catalog)
    rerun = objects.read_manifest("products", "night-3")
    assert rerun is not None  # the cursor never moved, so the rerun read every product, and published them
    assert sorted(set(_rows(objects, rerun, "uuid"))) == sorted(p["uuid"] for p in server.catalog.iter_products())
