"""The README's first command, `akeneo-pipeline demo`, prints its own short report: a line per
job and sensor tick, rows per table, the picklist changes; dbt's line per model and test goes
to the log file the demo names."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DBT_NODE_LINE = re.compile(r"^\d+ of \d+ (START|OK|PASS)")


@pytest.mark.slow
def test_the_demo_reports_concisely_and_logs_dbt_to_the_file_it_names(tmp_path: Path) -> None:
    # A relative data directory, as the README's default: every step after dbt's must still find it
    # (dagster-dbt's metadata threads change the working directory; defs/dbt.py restores it).
    data_dir = tmp_path / "demo"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "akeneo-pipeline"), "demo", "--products", "60", "--data-dir", "demo"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path, env=dict(os.environ),
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    out = done.stdout.splitlines()
    log = data_dir / "demo.log"
    assert "dbt's output (every model and test) goes to demo/demo.log" in out
    assert not [line for line in out if DBT_NODE_LINE.match(line) or "Running with dbt" in line]
    assert len(out) < 80, done.stdout  # a screenful, not the hundreds of lines dbt prints
    job_line = re.compile(r"^   \w+: success in \d+s, \d+ asset materialisations, \d+/\d+ checks passed$")
    jobs = [line for line in out if job_line.match(line)]
    assert [line.split(":")[0].strip() for line in jobs] == ["nightly", "products_refresh", "picklists_refresh",
                                                            "deletion_scan"]
    # The merchandiser removes an option products still use: the one check that speaks up, as a warning.
    assert [line for line in out if line.startswith("   check not passed")] == [
        "   check not passed: picklists/picklist_current:values_point_at_existing_options (WARN)"]
    assert "== rows per table (schema akeneo)" in out
    assert any(line.startswith("== picklist changes (") for line in out)

    logged = log.read_text()
    assert "== job nightly" in logged
    assert re.search(r"OK created sql table model analytics\.dim_products", logged)
    assert re.search(r"PASS unique_dim_products_product_uuid", logged)
