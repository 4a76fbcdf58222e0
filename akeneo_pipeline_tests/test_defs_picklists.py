"""The baseline switch as a user reaches it: the `picklist_diff` op's config in Dagster."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline_tests.test_defs_definitions import point_env_at


@pytest.mark.parametrize("emit_baseline", [False, True])
def test_first_picklist_run_is_a_baseline_unless_configured(
    sandbox_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emit_baseline: bool
) -> None:
    sandbox = sandbox_factory(products=20, seed=3)
    point_env_at(monkeypatch, sandbox, tmp_path / "data")
    from akeneo_pipeline.definitions import defs

    config = {"ops": {"picklist_diff": {"config": {"emit_baseline": emit_baseline}}}}
    result = defs.resolve_job_def("picklists_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), run_config=config
    )
    [event] = [e for e in result.get_asset_materialization_events()
               if e.asset_key.to_user_string() == "picklists/picklist_changes"]
    metadata = {k: getattr(v, "value", v) for k, v in event.materialization.metadata.items()}
    selects = {a["code"] for a in sandbox.catalog.items("attributes") if "select" in a["type"]}
    options = [o for o in sandbox.catalog.items("attribute_options") if o["attribute"] in selects]
    assert metadata["baseline"] is True
    if emit_baseline:
        by_type = {kind: n for kind, n in metadata["changes_by_type"].items() if n}
        assert by_type == {"attribute_added": len(selects), "added": len(options)}
    else:
        assert metadata["changes"] == 0
