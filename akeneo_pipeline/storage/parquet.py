"""Parquet datasets: `<root>/<stream>/run=<run_id>/part-*.parquet`, written atomically.

Each part is written under a hidden temporary name and renamed into place, so
a reader (or a run killed halfway) never meets a truncated file; pyarrow
datasets skip hidden names. A snapshot's whole run directory is built aside
and swapped in, so a run directory holds one complete snapshot or none.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from secrets import token_hex

import pyarrow as pa
import pyarrow.parquet as pq

from akeneo_pipeline.atomic_write import atomic_write
from akeneo_pipeline.storage.errors import DataDirError

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
STALE_SECONDS = 3600


def check_run_id(run_id: str) -> str:
    """Run ids become directory names: refuse anything that could escape or hide."""
    if not RUN_ID.match(run_id):
        raise ValueError(f"run_id {run_id!r} must be 1-128 of [A-Za-z0-9_.:-], starting with a letter or digit")
    return run_id


def check_writable(root: Path) -> None:
    """Create `root` and prove a file can be written there, before any data is."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-probe-{token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(root, exc) from None


def write_file(target: Path, table: pa.Table) -> Path:
    """Write one Parquet file atomically (temporary hidden name, fsync, rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as sink:
        pq.write_table(table, sink, compression="zstd")
    return target


def write_part(directory: Path, table: pa.Table, seq: int) -> Path:
    """A new part file in `directory`, named so parts sort in write order."""
    return write_file(directory / f"part-{seq:05d}-{token_hex(4)}.parquet", table)


class ParquetDataset:
    """One stream's dataset under the Parquet root."""

    def __init__(self, root: Path, stream: str) -> None:
        self.path = root / stream
        self._seq = 0

    def run_dir(self, run_id: str) -> Path:
        return self.path / f"run={check_run_id(run_id)}"

    def append(self, run_id: str, table: pa.Table) -> Path:
        """A new part in the run's directory (incremental streams: parts accumulate)."""
        self._seq += 1
        return write_part(self.run_dir(run_id), table, self._seq)

    def begin_snapshot(self, run_id: str) -> Path:
        """A hidden directory to write a snapshot's parts into; see `commit_snapshot`."""
        self._clean_stale()
        staging = self.path / f".run={check_run_id(run_id)}.tmp-{token_hex(4)}"
        staging.mkdir(parents=True)
        return staging

    def commit_snapshot(self, run_id: str, staging: Path) -> list[Path]:
        """Swap the staged snapshot in as the run's directory; returns its part files."""
        final = self.run_dir(run_id)
        old = None
        if final.exists():
            old = self.path / f".{final.name}.old-{token_hex(4)}"
            os.replace(final, old)
        os.replace(staging, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return sorted(final.glob("part-*.parquet"))

    def _clean_stale(self) -> None:
        # Leftovers of runs killed mid-write; young ones may belong to a live writer.
        if not self.path.exists():
            return
        cutoff = time.time() - STALE_SECONDS
        for entry in self.path.glob(".run=*"):
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
