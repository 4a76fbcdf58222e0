"""Peak RSS extracting and loading N products, one child process per size.

The sandbox runs in its own process (its memory is reported apart, to show that
serving a million products stays reasonable); the child holds only the client and
the store, and reports its own peak RSS when the load has committed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.results import Row, per_second
from bench.sandbox_process import SandboxProcess

LIMIT_MIB = 512.0
# "Nearly the same at both sizes": the largest size may use at most this much more.
GROWTH_ALLOWED = 1.1


def child_env(sandbox: SandboxProcess) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AKENEO_", "WAREHOUSE_"))}
    env.update(AKENEO_BASE_URL=sandbox.base_url, AKENEO_CLIENT_ID=sandbox.credentials["client_id"],
               AKENEO_CLIENT_SECRET=sandbox.credentials["client_secret"],
               AKENEO_USERNAME=sandbox.credentials["username"], AKENEO_PASSWORD=sandbox.credentials["password"],
               AKENEO_READ_TIMEOUT="300")
    return env


def run_child(job: str, sandbox: SandboxProcess, data_dir: Path | None = None) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.child", job]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    done = subprocess.run(argv, env=child_env(sandbox), capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {job} failed ({done.returncode}): {done.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])  # the child's last line: its JSON
    return out


def run(sizes: list[int], data_dir: Path | None = None) -> list[Row]:
    rows: list[Row] = []
    peaks: list[float] = []
    for size in sizes:
        section = f"memory ({size:,} products)"
        with SandboxProcess(size) as sandbox:
            sandbox.configure(latency_ms=0.0, concurrency_limit=4)
            out = run_child("memory", sandbox, data_dir)
            sandbox_mib = sandbox.rss_kib() / 1024
        peak = out["peak_rss_mib"]
        peaks.append(peak)
        rows += [
            Row(section, "peak RSS, extract + Parquet + DuckDB load", f"{peak:,.0f} MiB", f"< {LIMIT_MIB:,.0f} MiB",
                peak < LIMIT_MIB),
            Row(section, "products loaded / value rows", f"{out['products']:,} / {out['value_rows']:,}",
                f"{size:,} products", out["products"] == size),
            Row(section, "elapsed (no latency) / sandbox start / sandbox RSS",
                f"{out['seconds']:.0f} s, {per_second(out['products'], out['seconds'])} / "
                f"{sandbox.startup_seconds:.1f} s / {sandbox_mib:,.0f} MiB"),
        ]
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0]
        rows.append(Row("memory", f"peak RSS {sizes[-1]:,} / {sizes[0]:,}", f"{growth:.2f}x",
                        f"<= {GROWTH_ALLOWED}x", growth <= GROWTH_ALLOWED))
    return rows
