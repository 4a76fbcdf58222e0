"""The README's first command: the whole pipeline on the built-in sandbox and DuckDB.

Starts the sandbox Akeneo on 127.0.0.1, runs `nightly`, then changes the
catalog as a merchandiser would (edits, new and deleted products, a new,
relabelled, reordered and removed attribute option), lets the `akeneo_changes`
sensor request its refresh runs, runs them, and prints rows per table and the
picklist changes. A sandbox Salesforce org receives the mapped picklists
(`salesforce/picklists`) and the demo prints what it holds. It uses the same
definitions, jobs and sensor as production; only Akeneo and Salesforce are simulated.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from akeneo_pipeline.demo_salesforce import report_org, start_org
from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer


def _point_settings_at(sandbox: SandboxServer, data_dir: Path) -> None:
    credentials = sandbox.credentials
    os.environ.update(
        AKENEO_BASE_URL=sandbox.base_url,
        AKENEO_CLIENT_ID=credentials["client_id"],
        AKENEO_CLIENT_SECRET=credentials["client_secret"],
        AKENEO_USERNAME=credentials["username"],
        AKENEO_PASSWORD=credentials["password"],
        AKENEO_DATA_DIR=str(data_dir),
    )
    os.environ.pop("AKENEO_ACCESS_TOKEN", None)
    os.environ.update(AKENEO_CATALOG_ID="", AKENEO_CATALOG_NAME="")  # blank: the whole sandbox PIM, whatever .env says
    # The demo always uses its own embedded DuckDB, whatever .env says about production.
    os.environ["WAREHOUSE_URL"] = f"duckdb:///{data_dir / 'warehouse.duckdb'}"


def merchandise(sandbox: SandboxServer) -> list[str]:
    """Change the catalog the way a merchandiser's day does; returns what was done."""
    catalog = sandbox.catalog
    options_by_attribute: dict[str, list[str]] = {}
    for option in catalog.items("attribute_options"):
        options_by_attribute.setdefault(option["attribute"], []).append(option["code"])
    color = next(
        item["code"]
        for item in catalog.items("attributes")
        if item["type"] == "pim_catalog_simpleselect" and len(options_by_attribute.get(item["code"], [])) >= 3
    )
    options = sorted(options_by_attribute[color])
    catalog.update_products(25)
    catalog.create_products(5)
    catalog.delete_products(3)
    catalog.add_option(color, "demo_teal", {"en_US": "Teal", "fr_FR": "Bleu sarcelle"})
    catalog.relabel_option(color, options[0], "fr_FR", f"{options[0]} (corrigé)")
    catalog.reorder_option(color, options[1], 999)
    catalog.remove_option(color, options[2])
    return [
        "edited 25 products, created 5, deleted 3",
        f"attribute {color!r}: added option 'demo_teal', relabelled {options[0]!r} in fr_FR, "
        f"moved {options[1]!r} to the end, removed {options[2]!r}",
    ]


def run_demo(products: int = 2000, data_dir: Path = Path("data/demo"), edition: str = "community") -> None:
    # A fresh sandbox catalog each time, so the demo starts from an empty data directory.
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log_path = data_dir / "demo.log"
    config = SandboxConfig(products=products, seed=1, edition=edition)
    with SandboxServer(config, host="127.0.0.1", port=0) as sandbox, start_org(data_dir) as org:
        _point_settings_at(sandbox, data_dir)
        print(f"Sandbox Akeneo with {products} products at {sandbox.base_url}; data in {data_dir}/")
        print(f"dbt's output (every model and test) goes to {log_path}")
        # Imports the definitions, which read the settings just set (and parse dbt's project if needed).
        from akeneo_pipeline.demo_runner import DemoRunner

        runner = DemoRunner(log_path)
        runner.run_job("nightly")
        runner.tick_sensor()  # first tick: records a baseline, requests nothing
        for line in merchandise(sandbox):
            print(f"Merchandiser: {line}")
        for job_name in runner.tick_sensor():
            runner.run_job(job_name)
        runner.run_job("deletion_scan")
        runner.report()
        report_org(org)
