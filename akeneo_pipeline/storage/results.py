"""What a load reports back: enough for Dagster metadata and checks, never a secret."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from akeneo_pipeline.storage.schemas import is_json

PREVIEW_ROWS = 5


@dataclass
class LoadResult:
    stream: str
    rows: int = 0
    value_rows: int = 0
    parquet_files: list[Path] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0
    cursor_before: str | None = None
    cursor_after: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    # products only: this load re-keyed the table from identifier to uuid (an Akeneo 6 -> 7
    # upgrade), soft-deleting the rows it did not re-key (see product_keys.py)
    rekeyed: bool = False
    rekey_soft_deleted: int = 0

    def add_files(self, *paths: Path) -> None:
        for path in paths:
            self.parquet_files.append(path)
            self.bytes += path.stat().st_size

    def describe(self, table: pa.Table) -> None:
        """Column types and the first rows (without `raw`, which can be large)."""
        if not self.columns:
            self.columns = {f.name: "json" if is_json(f) else str(f.type) for f in table.schema}
        if not self.preview and table.num_rows:
            names = [n for n in table.schema.names if n != "raw"]
            self.preview = table.select(names).slice(0, PREVIEW_ROWS).to_pylist()


@dataclass(frozen=True)
class DeletionResult:
    deleted: int
    resurrected: int
    live: int
