"""`python -m bench` (from the repository root): every benchmark, one table.

    python -m bench                         # 100,000 products, memory at 100,000 and 1,000,000
    python -m bench --quick                 # 2,000 products, memory at 2,000: a smoke run
    python -m bench --products 20000 --memory-sizes 20000,200000 --only throughput,memory

Speed figures are ratios of two measurements taken side by side in the same run
(the machine is shared and noisy); absolute figures are given for context.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import cpu_ceiling, incremental, memory, picklist, postgres, throughput
from bench.results import Row, table
from bench.sandbox_process import SandboxProcess

SECTIONS = ("throughput", "cpu", "postgresql", "memory", "incremental", "picklist")
THROUGHPUT_SMALL = 30_000  # the throughput target holds at this size too, where splitting costs most


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--products", type=int, default=100_000, help="catalog size for throughput, cpu, incremental")
    p.add_argument("--throughput-sizes", type=sizes, default=None,
                   help="comma-separated catalog sizes for throughput (default: 30,000 and --products)")
    p.add_argument("--memory-sizes", type=sizes, default=[100_000, 1_000_000],
                   help="comma-separated catalog sizes for peak RSS (empty: skip)")
    p.add_argument("--options", type=int, default=100_000, help="attribute options per picklist snapshot")
    p.add_argument("--latency-ms", type=float, default=50.0)
    p.add_argument("--only", type=lambda s: s.split(","), default=list(SECTIONS),
                   help=f"comma-separated subset of {','.join(SECTIONS)}")
    p.add_argument("--quick", action="store_true", help="tiny sizes: checks the command, not the targets")
    p.add_argument("--data-dir", type=Path, default=None, help="where temporary data goes (default: system temp)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.quick:
        args.products, args.memory_sizes, args.options = 2_000, [2_000], 10_000
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        print(f"error: unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}",
              file=sys.stderr)
        return 2
    if args.throughput_sizes is None:
        args.throughput_sizes = [args.products]
        if args.products > THROUGHPUT_SMALL:
            args.throughput_sizes.insert(0, THROUGHPUT_SMALL)
    started = time.monotonic()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="akeneo-bench-", dir=args.data_dir) as tmp:
        if "throughput" in args.only:
            for size in (s for s in args.throughput_sizes if s != args.products):
                with SandboxProcess(size) as sandbox:
                    rows += throughput.run(sandbox, args.latency_ms)
        if {"throughput", "cpu", "postgresql", "incremental"} & set(args.only):
            with SandboxProcess(args.products) as sandbox:
                if "throughput" in args.only and args.products in args.throughput_sizes:
                    rows += throughput.run(sandbox, args.latency_ms)
                if "cpu" in args.only:
                    rows += cpu_ceiling.run(sandbox, args.data_dir)
                if "postgresql" in args.only:
                    rows += postgres.run(sandbox, args.data_dir)
                if "incremental" in args.only:
                    rows += incremental.run(sandbox, Path(tmp) / "incremental")
        if "memory" in args.only and args.memory_sizes:
            rows += memory.run(args.memory_sizes, args.data_dir)
        if "picklist" in args.only:
            rows += picklist.run(args.options)
    print(f"akeneo-pipeline benchmarks, {date.today().isoformat()}, {platform.node()}, "
          f"Python {platform.python_version()}, {machine()}; {time.monotonic() - started:.0f} s\n")
    print(table(rows))
    return 0 if all(row.ok is not False for row in rows) else 1


def machine() -> str:
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    with contextlib.suppress(OSError, StopIteration), open("/proc/cpuinfo") as cpuinfo:
        model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    return f"{cores} cores {model}".strip()


if __name__ == "__main__":
    sys.exit(main())
