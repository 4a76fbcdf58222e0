"""`akeneo-pipeline demo --app-catalog`: the App catalog path on the built-in sandbox and DuckDB.

connect-app's flow (the sandbox's App approves at once, where a browser would show Akeneo's
consent screen) creates the catalog and writes the token and AKENEO_CATALOG_ID to the demo's
`.env`; a PIM user configures the selection and enables the catalog (the sandbox's admin side
plays Akeneo's catalog page); `nightly` loads the selected products only; the sensor sees an
edit inside the selection and not one outside; the weekly scan soft-deletes the products a
narrower selection dropped; a disabled catalog fails the next `nightly`, naming the catalog,
and changes nothing. Same definitions, jobs and sensor as production; only Akeneo is simulated.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
from dotenv import dotenv_values
from pydantic import SecretStr

from akeneo_pipeline.connect_app import AppConnector, AppCredentials
from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer

SELECTION = [{"field": "family", "operator": "IN", "value": ["shoes", "home"]}]
NARROWER = [{"field": "family", "operator": "IN", "value": ["shoes"]}]


def connect(sandbox: SandboxServer, env_file: Path) -> str:
    """connect-app in catalog mode; returns the catalog id it saved."""
    app = sandbox.app_credentials
    credentials = AppCredentials(_env_file=None, base_url=sandbox.base_url, client_id=app["client_id"],
                                 client_secret=SecretStr(app["client_secret"]), catalog_name="akeneo-pipeline demo")
    with AppConnector(credentials, env_file, port=0) as connector:
        sandbox.configure(app_callback_url=connector.callback_url)
        print(f"connect-app: asking for {' '.join(connector.scopes)}")
        httpx.get(connector.authorize_url, follow_redirects=True, timeout=30.0)  # the user's browser approves
        result = connector.wait(30)
    assert result.catalog is not None
    print(f"connect-app: saved the token and AKENEO_CATALOG_ID={result.catalog.id} to {env_file}")
    print(f"connect-app: catalog {result.catalog.name!r} is {result.catalog.state}; "
          f"configure it at {result.catalog_url}")
    return result.catalog.id


def use_env_file(env_file: Path) -> None:
    """What the pipeline reads from `.env`, for the definitions run in this process."""
    for key, value in dotenv_values(env_file).items():
        if key.startswith("AKENEO_") and value is not None:
            os.environ[key] = value


def live_products() -> set[str]:
    from akeneo_pipeline.settings import StorageSettings
    from akeneo_pipeline.storage import Store

    with Store.from_settings(StorageSettings()) as store:
        return {row["uuid"] for row in store.read_table("products").to_pylist() if row["deleted_at"] is None}


def run_app_catalog_demo(products: int, data_dir: Path) -> None:
    from akeneo_pipeline.demo import _point_settings_at

    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log_path = data_dir / "demo.log"
    with SandboxServer(SandboxConfig(products=products, seed=1), host="127.0.0.1", port=0) as sandbox:
        _point_settings_at(sandbox, data_dir)
        print(f"Sandbox Akeneo with {products} products at {sandbox.base_url}; data in {data_dir}/")
        catalog_id = connect(sandbox, data_dir / ".env")
        use_env_file(data_dir / ".env")
        catalogs = sandbox.app_catalogs
        catalogs.set_selection(catalog_id, SELECTION)
        catalogs.enable(catalog_id)
        selected = catalogs.selected_uuids(catalog_id)
        print(f"PIM user: selected the families shoes and home ({len(selected)} products) and enabled the catalog")
        print(f"dbt's output (every model and test) goes to {log_path}")
        # Imports the definitions, which read the settings just set (and parse dbt's project if needed).
        from akeneo_pipeline.demo_runner import DemoRunner

        runner = DemoRunner(log_path)
        runner.run_job("nightly")
        runner.tick_sensor()  # the baseline
        outside = next(p["uuid"] for p in sandbox.catalog.iter_products() if p["uuid"] not in selected)
        sandbox.catalog.update_products(uuids=[outside])
        print("Merchandiser: edited a product outside the selection")
        assert runner.tick_sensor() == [], "an edit outside the selection requested a run"
        sandbox.catalog.update_products(uuids=sorted(selected)[:5])
        print("Merchandiser: edited 5 products inside the selection")
        for job_name in runner.tick_sensor():
            runner.run_job(job_name)
        catalogs.set_selection(catalog_id, NARROWER)
        print("PIM user: narrowed the selection to the family shoes")
        runner.run_job("deletion_scan")
        runner.report()
        live = live_products()
        chosen = catalogs.selected_uuids(catalog_id)
        if live != chosen:
            raise RuntimeError(f"the warehouse holds {len(live)} live products, the catalog selects {len(chosen)}")
        print(f"\n== products: {len(live)} live, exactly the catalog's selection; the others left it")
        catalogs.disable(catalog_id)
        print("\nPIM user: disabled the catalog")
        print(f"\n== running job 'nightly' (expected to fail)\n   {runner.failure('nightly')}")
