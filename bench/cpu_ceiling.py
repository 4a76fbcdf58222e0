"""The CPU-ceiling section of the table; the measurement itself runs in `bench.child cpu`."""

from __future__ import annotations

from pathlib import Path

from bench.memory import run_child
from bench.results import Row, per_second
from bench.sandbox_process import SandboxProcess

TARGET_PER_SECOND = 20_000


def run(sandbox: SandboxProcess, data_dir: Path | None = None) -> list[Row]:
    sandbox.configure(latency_ms=0.0)
    out = run_child("cpu", sandbox, data_dir)
    n = out["products"]
    core = "one core" if out["core"] is not None else "not pinned"
    section = f"cpu ceiling ({n:,} products, {core})"
    end_to_end = n / out["end_to_end"]
    staged = out["parse"] + out["flatten"] + out["parquet"] + out["warehouse"]
    return [
        Row(section, "parse pages (orjson, exact)", per_second(n, out["parse"])),
        Row(section, "flatten (entity rows + value rows)", per_second(n, out["flatten"])),
        Row(section, "  value rows alone", per_second(n, out["values"]) + f" ({out['value_rows']:,} rows)"),
        Row(section, "Parquet (zstd)", per_second(n, out["parquet"])),
        Row(section, "warehouse load (DuckDB merge, commit apart)", per_second(n, out["warehouse"])),
        Row(section, "  rest: commits, batching, glue (end to end minus stages)",
            f"{max(0.0, out['end_to_end'] - staged) / out['end_to_end']:.0%} of end to end"),
        Row(section, "end to end (Store.load_entities)", per_second(n, out["end_to_end"])
            + f" (CPU time of this process: {per_second(n, out['end_to_end_cpu'])})",
            f">= {TARGET_PER_SECOND:,}/s", end_to_end >= TARGET_PER_SECOND),
        Row(section, "end to end again, every product stored (merge path)", per_second(n, out["reload"])),
    ]
