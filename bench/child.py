"""Work that must be measured in a process of its own: `python -m bench.child <job>`.

The parent starts this with the sandbox's address and credentials in AKENEO_*
variables and reads one JSON object from stdout. Peak RSS is this process's own
(`ru_maxrss`), so neither the parent nor the sandbox is counted.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_catalog, sync_entities


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def extract_and_load(data_dir: Path) -> dict[str, float]:
    """The products asset's full run (`sync_entities` on a warehouse holding only the attributes,
    which name the identifier attribute): every product read in windows, into Parquet and DuckDB."""
    settings = AkeneoSettings(_env_file=None)
    store = Store(data_dir, f"duckdb:///{data_dir / 'warehouse.duckdb'}")
    started = time.monotonic()
    with AkeneoClient(settings) as client:
        sync_catalog(client, store, "attributes", run_id="bench-memory")
        result = sync_entities(client, store, "products", run_id="bench-memory").load
    return {"products": result.rows, "value_rows": result.value_rows, "seconds": time.monotonic() - started,
            "peak_rss_mib": peak_rss_mib()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("job", choices=["memory", "cpu", "postgres"])
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="akeneo-bench-", dir=args.data_dir) as tmp:
        if args.job == "memory":
            out = extract_and_load(Path(tmp))
        elif args.job == "postgres":
            from bench.postgres import measure as measure_postgres

            out = measure_postgres(Path(tmp))
        else:
            from bench.cpu import measure

            out = measure(Path(tmp))
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
