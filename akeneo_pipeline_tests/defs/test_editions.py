"""The nightly job on a Community and on an Enterprise sandbox: Community lists none of the reference entity
and Asset Manager routes, so those assets materialise with a `skipped` note and the run succeeds; Enterprise
fills every new table."""

from __future__ import annotations

from pathlib import Path

import pytest

from akeneo_pipeline.sandbox import SandboxConfig
from akeneo_pipeline.streams import EDITION_STREAMS, RECORD_STREAMS
from akeneo_pipeline_tests.fixtures.dagster import materializations, step_failures
from akeneo_pipeline_tests.fixtures.env import deployment

NEW = {**EDITION_STREAMS, **RECORD_STREAMS}
ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z


@pytest.mark.parametrize("edition", ["community", "enterprise"])
def test_nightly_skips_the_streams_an_edition_lacks(tmp_path: Path, edition: str) -> None:
    config = SandboxConfig(products=30, seed=2, anchor=ANCHOR, edition=edition, reference_entity_records=15,
                           assets_per_family=15)
    with deployment(config, tmp_path / "data") as deployed:
        result = deployed.run("nightly")
        log = list(deployed.server.request_log)
    assert result.success, step_failures(result)
    failed = [(e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations()
              if not e.passed]
    assert not failed  # unique keys, values pointing at existing options (records included), dbt tests
    found = materializations(result)
    metadata = {name: found[f"akeneo/{name}"] for name in NEW}  # every new asset materialised, skipped or not
    skipped = {name for name, m in metadata.items() if "skipped" in m}
    if edition == "community":
        assert skipped == {name for name, s in NEW.items() if s.edition_only}
        assert all("Community Edition" in metadata[name]["skipped"] for name in skipped)
        assert all(metadata[name]["dagster/row_count"] == 0 for name in NEW)
        assert not [e.path for e in log if "reference-entities" in e.path or "asset-families" in e.path]
    else:
        assert not skipped
        assert all(metadata[name]["dagster/row_count"] > 0 for name in NEW), {
            name: m["dagster/row_count"] for name, m in metadata.items()}
        assert metadata["reference_entity_records"]["parents_read"] == 3
