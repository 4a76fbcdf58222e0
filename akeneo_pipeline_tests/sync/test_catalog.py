"""`sync_catalog`, what every catalog asset calls: each stream whole into its table, attribute options
for the stored select attributes, each call counting its own requests on a shared client, and an
attribute removed between the attributes read and its options read."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import CATALOG_STREAMS
from akeneo_pipeline.sync import sync_catalog
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


def test_every_catalog_stream_lands_whole_and_counts_its_own_requests(sandbox: SandboxServer, store: Store) -> None:
    log_before = len(sandbox.request_log)
    with AkeneoClient(settings_for(sandbox, page_size=5)) as client:
        results = [sync_catalog(client, store, stream, "night-1") for stream in CATALOG_STREAMS]
        lifetime = client.counters.total().requests
    for result in results:
        assert result.load.rows == len(sandbox.catalog.items(result.stream)) == store.table_rows(result.stream)
        assert result.requests.total().requests >= 1
    # Each sync counted its own calls: together they are everything the shared client sent.
    assert sum(r.requests.total().requests for r in results) == lifetime == len(sandbox.request_log) - log_before
    options = next(r for r in results if r.stream == "attribute_options")
    selects = [a["code"] for a in sandbox.catalog.items("attributes") if a["type"] in SELECT_TYPES]
    assert options.parents == len(selects)
    asked = Counter(e.path for e in sandbox.request_log if e.path.endswith("/options"))
    assert set(asked) == {f"/api/rest/v1/attributes/{code}/options" for code in selects}


def test_an_attribute_removed_before_its_options_are_read_has_none(
    sandbox: SandboxServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """attribute_options reads the select attributes the `attributes` table holds. One removed from
    Akeneo in between answers 404 on its options list; Akeneo's get-one route confirms it is gone, so
    the read goes on without it (warned), instead of failing the asset."""
    sandbox.catalog.add_attribute("season_note", "pim_catalog_simpleselect")
    sandbox.catalog.add_option("season_note", "winter", {"en_US": "Winter"})
    with AkeneoClient(settings_for(sandbox)) as client:
        sync_catalog(client, store, "attributes", "night-1")
        sandbox.catalog.remove_attribute("season_note")
        with caplog.at_level(logging.WARNING, logger="akeneo_pipeline"):
            result = sync_catalog(client, store, "attribute_options", "night-1")
    truth = sandbox.catalog.items("attribute_options")
    assert result.load.rows == len(truth) and not any(o["attribute"] == "season_note" for o in truth)
    assert [r.getMessage() for r in caplog.records if "season_note" in r.getMessage()] == [
        "attribute 'season_note' was removed from Akeneo while the run read it: its attribute options are "
        "skipped (the next run reads the catalog without it)"]
    asked = [(e.path, e.status) for e in sandbox.request_log if "season_note" in e.path]
    assert asked == [("/api/rest/v1/attributes/season_note/options", 404), ("/api/rest/v1/attributes/season_note", 404)]
