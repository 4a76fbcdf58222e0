"""The picklist assets as a user reaches them in Dagster: the baseline switch (the `picklist_diff`
op's config), and removals confirmed with Akeneo when a list is edited while it is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.settings import StorageSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.dagster import materializations, step_failures
from akeneo_pipeline_tests.fixtures.env import point_env_at
from akeneo_pipeline_tests.fixtures.warehouse import query


@pytest.mark.parametrize("emit_baseline", [False, True])
def test_first_picklist_run_is_a_baseline_unless_configured(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emit_baseline: bool
) -> None:
    sandbox = sandbox_factory(products=20, seed=3)
    point_env_at(monkeypatch, sandbox, tmp_path / "data")
    from akeneo_pipeline.definitions import defs

    config = {"ops": {"picklist_diff": {"config": {"emit_baseline": emit_baseline}}}}
    result = defs.resolve_job_def("picklists_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), run_config=config
    )
    metadata = materializations(result)["picklists/picklist_changes"]
    selects = {a["code"] for a in sandbox.catalog.items("attributes") if "select" in a["type"]}
    options = [o for o in sandbox.catalog.items("attribute_options") if o["attribute"] in selects]
    assert metadata["baseline"] is True
    if emit_baseline:
        by_type = {kind: n for kind, n in metadata["changes_by_type"].items() if n}
        assert by_type == {"attribute_added": len(selects), "added": len(options)}
    else:
        assert metadata["changes"] == 0


def test_picklists_refresh_confirms_removals_of_a_list_edited_while_it_is_read(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = sandbox_factory(products=20, seed=3)
    data_dir = tmp_path / "data"
    point_env_at(monkeypatch, sandbox, data_dir)
    for name, value in (("AKENEO_PAGE_SIZE", "3"), ("AKENEO_MAX_ATTEMPTS", "2"), ("AKENEO_BACKOFF_BASE", "0.01"),
                        ("AKENEO_BACKOFF_MAX", "0.02")):
        monkeypatch.setenv(name, value)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()

    def run() -> dg.ExecuteInProcessResult:
        return defs.resolve_job_def("picklists_refresh").execute_in_process(instance=instance, raise_on_error=False)

    def metadata(result: dg.ExecuteInProcessResult) -> dict:
        return materializations(result)["picklists/picklist_changes"]

    def picklist_rows(sql: str) -> list[dict]:
        return query(f"duckdb:///{data_dir / 'warehouse.duckdb'}",
                     sql.format(changes="akeneo.picklist_changes", current="akeneo.picklist_current"))

    assert run().success  # the baseline
    # Between the first and second page of color's options (black, blue, green | grey, ...): black and
    # yellow are removed, zinc is added. The list shifts back by one and grey is never read.
    options = "/api/rest/v1/attributes/color/options"
    sandbox.schedule_mutation(options, 1, "attribute-options/remove", {"attribute": "color", "code": "black"})
    sandbox.schedule_mutation(options, 1, "attribute-options/remove", {"attribute": "color", "code": "yellow"})
    sandbox.schedule_mutation(options, 1, "attribute-options/add", {"attribute": "color", "code": "zinc", "labels": {}})
    shifted = run()
    assert shifted.success and len(sandbox.schedule.applied) == 3
    found = metadata(shifted)
    assert {kind: n for kind, n in found["changes_by_type"].items() if n} == {"added": 1, "removed": 1}
    assert "yellow" in found["change_table"] and "grey" not in found["change_table"]
    assert found["unconfirmed_removals"] == 1 and "grey" in found["unconfirmed_removal_list"]
    assert found["akeneo_requests"] == 2  # one get-one per suspect: grey and yellow
    warnings = [e.user_message for e in instance.all_logs(shifted.run_id) if "kept as they" in e.user_message]
    assert warnings and "1 removal(s)" in warnings[0]
    [grey] = picklist_rows("SELECT active FROM {current} WHERE attribute_code = 'color' AND option_code = 'grey'")
    assert grey["active"] is True

    # A confirmation Akeneo keeps failing fails the step and commits nothing; the rerun records the
    # removals: red, and black (read by the run above before it went, so missing only now).
    sandbox.catalog.remove_option("color", "red")
    select_options = [o for o in sandbox.catalog.items("attribute_options")]
    option_pages = sum(len([o for o in select_options if o["attribute"] == a]) // 3 + 1
                       for a in {o["attribute"] for o in select_options})
    # Faults start once the last options page of the read is answered: the read succeeds, the lookups fail.
    sandbox.schedule_mutation(r"/api/rest/v1/attributes/[^/]+/options", option_pages, "configure",
                              {"fault_rate": 1.0, "fault_kinds": ["503"]})
    before = picklist_rows("SELECT COUNT(*) AS n FROM {changes}")[0]["n"]
    feed_files = sorted((data_dir / "picklist_feed").glob("picklist-changes-*.jsonl"))
    failed = run()
    assert not failed.success
    [failure] = [e for e in failed.all_events if e.is_step_failure]
    assert failure.step_key == "picklist_diff"
    [error] = step_failures(failed)  # Dagster wraps the AkeneoHTTPError: its message is in the chain
    assert "Akeneo kept answering 503" in error and "GET /api/rest/v1/attributes/color/options/" in error
    assert picklist_rows("SELECT COUNT(*) AS n FROM {changes}")[0]["n"] == before
    assert sorted((data_dir / "picklist_feed").glob("picklist-changes-*.jsonl")) == feed_files
    sandbox.configure(fault_rate=0.0)
    rerun = run()
    assert rerun.success
    assert {kind: n for kind, n in metadata(rerun)["changes_by_type"].items() if n} == {"removed": 2}
    removed = picklist_rows("SELECT option_code FROM {changes} WHERE change_type = 'removed' ORDER BY option_code")
    assert [r["option_code"] for r in removed] == ["black", "red", "yellow"]  # never grey
    assert metadata(rerun)["unconfirmed_removals"] == 0


def test_picklist_impact_reports_the_changes_its_upstream_run_recorded_and_none_after_a_quiet_night(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """picklist_impact reads the change ids the latest picklist_changes materialisation recorded: after
    a night with changes it counts what they touch, after a night without any it says so, rather
    than repeating the previous night's impact."""
    sandbox = sandbox_factory(products=40, seed=3)
    point_env_at(monkeypatch, sandbox, tmp_path / "data")
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()

    def night() -> dict[str, dict]:
        # The products first: the impact counts the stored products that use each changed option.
        assert defs.resolve_job_def("deletion_scan").execute_in_process(instance=instance).success
        result = defs.resolve_job_def("picklists_refresh").execute_in_process(instance=instance)
        return materializations(result)

    baseline = night()
    assert baseline["picklists/picklist_impact"]["change_ids"] == "no changes"
    used = next(v["data"] for p in sandbox.catalog.iter_products() for a, vs in p["values"].items() if a == "color"
                for v in vs if v["data"])
    sandbox.catalog.remove_option("color", used)
    changed = night()
    first, last = (changed["picklists/picklist_changes"][k] for k in ("first_change_id", "last_change_id"))
    impact = changed["picklists/picklist_impact"]
    assert first == last >= 1 and impact["change_ids"] == f"{first}..{last}"
    assert impact["changes"] == 1 and impact["products_touched"] > 0 and used in impact["impact"]
    touched = impact["products_touched"]

    quiet = night()
    assert quiet["picklists/picklist_changes"]["changes"] == 0
    impact = quiet["picklists/picklist_impact"]
    assert impact["change_ids"] == "no changes"
    assert (impact["changes"], impact["products_touched"], impact["product_models_touched"]) == (0, 0, 0)
    # A consumer lagging behind still finds what the removal touched, kept per change id.
    with Store.from_settings(StorageSettings()) as store:
        kept = store.change_impact_after(first - 1)
    assert [(r["change_id"], r["option_code"], r["product_count"]) for r in kept] == [(first, used, touched)]
