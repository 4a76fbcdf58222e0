"""The reference checks on products (`family_exist`, `parent_exist`, `categories_exist`) say
"not checked" while the catalog tables they point into were never loaded, instead of failing
every product; once those tables are loaded they check for real."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.dagster import value
from akeneo_pipeline_tests.fixtures.env import point_env_at

REFERENCE_CHECKS = {"family_exist": "families", "parent_exist": "product_models", "categories_exist": "categories"}


def reference_checks(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()
            if e.asset_key == dg.AssetKey(["akeneo", "products"]) and e.check_name in REFERENCE_CHECKS}


@pytest.mark.slow
def test_reference_checks_are_not_checked_until_the_catalog_is_loaded(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_env_at(monkeypatch, sandbox_factory(products=40, seed=6), tmp_path)
    from akeneo_pipeline.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    products_only = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, raise_on_error=False,
        asset_selection=[dg.AssetKey(["akeneo", "attributes"]), dg.AssetKey(["akeneo", "products"])])
    assert products_only.success
    checks = reference_checks(products_only)
    assert set(checks) == set(REFERENCE_CHECKS)
    for name, table in REFERENCE_CHECKS.items():
        assert checks[name].passed, name
        assert checks[name].description == f"not checked: `{table}` was never loaded"
        assert table in value(checks[name].metadata["not_checked"])

    nightly = defs.resolve_job_def("nightly").execute_in_process(instance=instance, raise_on_error=False)
    assert nightly.success
    checks = reference_checks(nightly)
    assert set(checks) == set(REFERENCE_CHECKS)
    for name, check in checks.items():  # checked now: no dangling reference in the sandbox's catalog
        assert check.passed and "not_checked" not in check.metadata, name
        assert value(check.metadata["dangling"]) == 0, name
