"""A smoke run of `python -m bench` on tiny sizes: the command works and its table is whole.

Timings and targets are not asserted (tiny catalogs say nothing about speed, and
speed is the benchmark's business, not the test suite's): only that every section
reports every row and that each ratio and rate is a number.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

EXPECTED_ROWS = [
    ("throughput", "baseline: sequential search_after, limit 100"),
    ("throughput", "pipeline: AkeneoClient.iter_entities('products')"),
    ("throughput", "ratio pipeline / baseline"),
    ("throughput", "complete run, no failure"),
    ("cpu ceiling", "parse pages (orjson, exact)"),
    ("cpu ceiling", "value rows alone"),
    ("cpu ceiling", "Parquet (zstd)"),
    ("cpu ceiling", "warehouse load (DuckDB merge, commit apart)"),
    ("cpu ceiling", "end to end (Store.load_entities)"),
    ("postgresql (300 products)", "end to end (Store.load_entities, binary COPY)"),
    ("memory (300 products)", "peak RSS, extract + Parquet + DuckDB load"),
    ("memory (300 products)", "products loaded / value rows"),
    ("incremental", "nightly / full"),
    ("incremental", "nightly / full, products + product models only"),
    ("picklist diff", "diff() of two snapshots"),
    ("picklist diff", "building one snapshot from items"),
]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_bench_command_prints_every_row(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--products", "300", "--memory-sizes", "300", "--options", "2000",
         "--data-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: a target missed, which tiny sizes may do
    rows = [cells(line) for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == ["section", "metric", "value", "target", ""]
    for section, metric in EXPECTED_ROWS:
        found = [r for r in rows if r[0].startswith(section) and r[1].strip() == metric]
        assert found, f"no row {section!r} / {metric!r} in:\n{done.stdout}"
    by_metric = {r[1]: r for r in rows}
    assert re.fullmatch(r"\d+\.\d\dx", by_metric["ratio pipeline / baseline"][2])
    assert re.fullmatch(r"1/\d+", by_metric["nightly / full"][2])
    assert re.fullmatch(r"[\d,]+/s \(CPU time of this process: [\d,]+/s\)",
                        by_metric["end to end (Store.load_entities)"][2])
    assert re.fullmatch(r"[\d,]+ MiB", by_metric["peak RSS, extract + Parquet + DuckDB load"][2])
    complete = by_metric["complete run, no failure"]
    assert complete[2] == "300 of 300 products" and complete[4] == "PASS"
    loaded = by_metric["products loaded / value rows"]
    assert loaded[2].startswith("300 / ") and loaded[4] == "PASS"
    assert by_metric["diff() of two snapshots"][4] == "PASS"
    assert list(tmp_path.iterdir()) == []  # temporary data is cleaned up
