"""The project is a dg project (`[tool.dg]` in pyproject.toml): `dg check defs` and `dg list
defs` load the same code location `dagster dev` loads through workspace.yaml."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DG = Path(sys.executable).parent / "dg"


LOCATIONS_QUERY = b'{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"}'


def _dg(*args: str) -> subprocess.CompletedProcess[str]:
    # The venv as `source .venv/bin/activate` sets it, so dg finds the project's own environment.
    env = {**os.environ, "VIRTUAL_ENV": sys.prefix}
    return subprocess.run([str(DG), *args], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)


def test_dg_and_workspace_yaml_name_the_same_code_location() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["tool"]["dg"]["project"]
    [entry] = yaml.safe_load((ROOT / "workspace.yaml").read_text())["load_from"]
    assert project["code_location_target_module"] == entry["python_module"]["module_name"]
    assert project["code_location_target_module"] == pyproject["tool"]["dagster"]["module_name"]
    assert any(dep.startswith("dagster-dg-cli==") for dep in pyproject["project"]["dependencies"])


@pytest.mark.slow
def test_dg_check_defs_succeeds() -> None:
    done = _dg("check", "defs")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "All definitions loaded successfully" in output


@pytest.mark.slow
def test_dg_list_defs_lists_the_assets_jobs_and_sensor() -> None:
    done = _dg("list", "defs", "--json")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    listed = json.loads(done.stdout)
    assets = {asset["asset_key"] for asset in listed["assets"]}
    assert {"akeneo/products", "akeneo/attribute_options", "picklists/picklist_changes", "dbt/dim_products"} <= assets
    assert {job["name"] for job in listed["jobs"]} == {"nightly", "products_refresh", "picklists_refresh",
                                                      "deletion_scan"}
    assert [sensor["name"] for sensor in listed["sensors"]] == ["akeneo_changes"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _locations(port: int) -> list[dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=LOCATIONS_QUERY,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        entries: list[dict[str, str]] = json.load(answer)["data"]["workspaceOrError"]["locationEntries"]
    return entries


@pytest.mark.slow
def test_dg_dev_serves_the_code_location(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "VIRTUAL_ENV": sys.prefix, "DAGSTER_HOME": str(tmp_path)}
    server = subprocess.Popen([str(DG), "dev", "--port", str(port)], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, entries = time.monotonic() + 300, []
        while time.monotonic() < deadline and server.poll() is None:
            try:
                entries = _locations(port)
            except OSError:
                entries = []
            if entries and entries[0]["loadStatus"] == "LOADED":
                break
            time.sleep(2)
        assert entries == [{"name": "akeneo_pipeline", "loadStatus": "LOADED"}]
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # dg dev, its webserver and its code servers
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
