"""Every asset of the real Definitions materialised on an ephemeral instance against
the sandbox and a DuckDB file: once `nightly`, then `products_refresh` after a few
edits, then `picklists_refresh` after an option products use is removed (under
throttling). The whole story runs once per module; each test reads one aspect."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from dagster._serdes import serialize_value

from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer
from akeneo_pipeline.sandbox.catalog import STREAMS
from akeneo_pipeline_tests.fixtures.dagster import materializations
from akeneo_pipeline_tests.fixtures.env import deployment
from akeneo_pipeline_tests.fixtures.warehouse import query

PRODUCT_COUNT = 120
EDITED = 7
SECRETS = ("cs-9Qf3xTz8wL", "pw-Kd71mVq2rB")  # the sandbox's client secret and password


@dataclass
class Story:
    server: SandboxServer
    defs: dg.Definitions
    instance: dg.DagsterInstance
    data_dir: Path
    truth: dict[str, int]
    nightly: dg.ExecuteInProcessResult
    refresh: dg.ExecuteInProcessResult
    picklists: dg.ExecuteInProcessResult
    removed: tuple[str, str]
    removed_uses: int
    nightly_token_calls: int

    def metadata(self, result: dg.ExecuteInProcessResult, key: str) -> dict[str, Any]:
        return materializations(result)[key]

    def checks(self, result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], Any]:
        return {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}


def most_used_option(server: SandboxServer) -> tuple[tuple[str, str], int]:
    """The (simple select attribute, option) the most product and product model values use."""
    simple = {a["code"] for a in server.catalog.items("attributes") if a["type"] == "pim_catalog_simpleselect"}
    uses: dict[tuple[str, str], int] = {}
    items = [*server.catalog.iter_products(), *server.catalog.iter_product_models()]
    for item in items:
        for attribute, values in item["values"].items():
            if attribute in simple:
                for value in values:
                    if value["data"] is not None:
                        uses[(attribute, value["data"])] = uses.get((attribute, value["data"]), 0) + 1
    best = max(uses, key=uses.__getitem__)
    return best, uses[best]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    # History ends a day ago, so the refresh's overlap holds only this test's edits.
    config = SandboxConfig(products=PRODUCT_COUNT, seed=7, anchor=int(time.time()) - 86_400,
                           client_secret=SECRETS[0], password=SECRETS[1])
    data_dir = tmp_path_factory.mktemp("pipeline")
    with deployment(config, data_dir, AKENEO_BACKOFF_BASE="0.02", AKENEO_BACKOFF_MAX="0.2") as deployed:
        server, run = deployed.server, deployed.run
        truth = {s: len(server.catalog.items(s)) for s in STREAMS}
        truth["products"] = sum(1 for _ in server.catalog.iter_products())
        truth["product_models"] = sum(1 for _ in server.catalog.iter_product_models())
        server.clear_log()
        nightly = run("nightly")
        nightly_token_calls = sum(1 for entry in server.request_log if entry.path.endswith("/oauth/v1/token"))
        server.catalog.update_products(EDITED)
        refresh = run("products_refresh")
        removed, uses = most_used_option(server)
        server.catalog.remove_option(*removed)
        # The option reads' 4 concurrent calls meet 429s; latency makes them overlap for sure.
        server.configure(concurrency_limit=1, latency_ms=20)
        picklists = run("picklists_refresh")
        server.configure(concurrency_limit=4, latency_ms=0)
        yield Story(server, deployed.defs, deployed.instance, data_dir, truth, nightly, refresh, picklists, removed,
                    uses, nightly_token_calls)


def test_nightly_materialises_every_asset_and_passes_every_check(story: Story) -> None:
    assert story.nightly.success
    everything = {k.to_user_string() for k in story.defs.resolve_asset_graph().materializable_asset_keys}
    materialised = set(materializations(story.nightly))
    assert materialised == everything
    checks = story.checks(story.nightly)
    assert len(checks) > 60
    assert [key for key, e in checks.items() if not e.passed] == []


@pytest.mark.parametrize("stream", [*STREAMS, "products", "product_models"])
def test_row_counts_equal_the_sandbox(story: Story, stream: str) -> None:
    metadata = story.metadata(story.nightly, f"akeneo/{stream}")
    assert metadata["dagster/row_count"] == story.truth[stream]


@pytest.mark.parametrize("stream", ["channels", "attributes", "attribute_options", "products", "product_models"])
def test_materialisations_carry_schema_preview_and_cost(story: Story, stream: str) -> None:
    metadata = story.metadata(story.nightly, f"akeneo/{stream}")
    key = {"products": "uuid", "product_models": "code"}.get(stream, "code")
    schema = metadata["dagster/column_schema"]
    assert key in {column.name for column in schema.columns}
    preview = metadata["preview"]
    assert preview.count("\n") >= 2 and key in preview.splitlines()[0]
    assert metadata["akeneo_requests"] >= 1
    assert (metadata["akeneo_retries"], metadata["akeneo_429s"]) == (0, 0)
    assert metadata["items_per_second"] > 0
    assert metadata["parquet_files"] >= 1


def test_categories_land_with_their_position(story: Story) -> None:
    """Akeneo serves `position` only for `with_position=true`, and so does the sandbox."""
    rows = query(f"duckdb:///{story.data_dir / 'warehouse.duckdb'}", "SELECT code, position FROM akeneo.categories")
    assert {r["code"]: r["position"] for r in rows} == \
        {c["code"]: c["position"] for c in story.server.catalog.items("categories")}


def test_nightly_reads_products_from_the_beginning(story: Story) -> None:
    metadata = story.metadata(story.nightly, "akeneo/products")
    assert metadata["cursor_before"].startswith("(none")
    assert metadata["cursor_after"] >= "2020"
    assert metadata["rows_read"] == story.truth["products"]


def test_products_refresh_reads_what_changed_and_moves_the_cursor_forward(story: Story) -> None:
    assert story.refresh.success
    before = story.metadata(story.nightly, "akeneo/products")
    after = story.metadata(story.refresh, "akeneo/products")
    assert after["cursor_before"] == before["cursor_after"]
    assert after["cursor_after"] > after["cursor_before"]
    assert after["rows_read"] == EDITED
    assert after["dagster/row_count"] == story.truth["products"]  # the table, not the read
    # Requests to the products list itself: the run's one route-list request (GET /api/rest/v1) is paid by
    # whichever step asks first, in the nightly run an earlier asset (the Enterprise streams ask too).
    assert after["requests_by_endpoint"]["products"]["requests"] < before["requests_by_endpoint"]["products"][
        "requests"]
    assert story.checks(story.refresh)[("akeneo/products", "cursor_never_moves_backwards")].passed


def test_products_refresh_touches_only_products_and_what_depends_on_them(story: Story) -> None:
    materialised = set(materializations(story.refresh))
    assert {"akeneo/products", "akeneo/product_models", "dbt/dim_products", "picklists/picklist_impact"} <= materialised
    assert not {k for k in materialised if k.startswith("akeneo/") and "product" not in k}


def test_picklists_refresh_records_the_removal_and_warns_about_values_using_it(story: Story) -> None:
    assert story.picklists.success
    changes = story.metadata(story.picklists, "picklists/picklist_changes")
    assert changes["baseline"] is False and {k: n for k, n in changes["changes_by_type"].items() if n} == {"removed": 1}
    assert story.removed[1] in changes["change_table"]
    check = story.checks(story.picklists)[("picklists/picklist_current", "values_point_at_existing_options")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    metadata = {k: getattr(v, "value", v) for k, v in check.metadata.items()}
    assert metadata["dangling_values"] == story.removed_uses
    assert metadata["by_attribute"] == {story.removed[0]: story.removed_uses}
    assert story.removed[1] in metadata["examples"]
    impact = story.metadata(story.picklists, "picklists/picklist_impact")
    assert impact["changes"] == 1 and impact["products_touched"] + impact["product_models_touched"] > 0


def test_throttling_shows_in_the_metadata_and_the_run_still_succeeds(story: Story) -> None:
    metadata = story.metadata(story.picklists, "akeneo/attribute_options")
    assert metadata["akeneo_429s"] > 0 and metadata["akeneo_retries"] >= metadata["akeneo_429s"]
    assert metadata["dagster/row_count"] == story.truth["attribute_options"] - 1


def test_no_secret_reaches_metadata_logs_or_files(story: Story) -> None:
    for result in (story.nightly, story.refresh, story.picklists):
        run = story.instance.get_run_by_id(result.run_id)
        texts = [serialize_value(run)] + [serialize_value(entry) for entry in story.instance.all_logs(result.run_id)]
        assert len(texts) > 50
        for text in texts:
            assert not any(secret in text for secret in SECRETS)
    files = [p for p in story.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in files)
    for path in files:
        content = path.read_bytes()
        assert not any(secret.encode() in content for secret in SECRETS), path


def test_a_run_logs_in_once_and_every_asset_shares_the_token(story: Story) -> None:
    assert story.nightly.success
    assert story.nightly_token_calls == 1
