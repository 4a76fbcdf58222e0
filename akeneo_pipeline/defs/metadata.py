"""What a materialisation shows in the Dagster UI: rows, schema, a preview, and
what it cost Akeneo (requests, retries, 429s, items per second, the cursor).

Only counts, names and sample rows reach metadata: no URL with credentials, no
token, no header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from akeneo_pipeline.akeneo import RunCounters
from akeneo_pipeline.storage import LoadResult

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def column_schema(columns: Mapping[str, str]) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, type_) for name, type_ in columns.items()])


def markdown_table(rows: Sequence[Mapping[str, Any]], limit: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """A small preview as a Markdown table; long cells (raw JSON) are cut."""
    rows = list(rows)[:limit]
    if not rows:
        return dg.MetadataValue.md("_no rows_")
    headers = list(rows[0].keys())

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= PREVIEW_CELL_CHARS else text[: PREVIEW_CELL_CHARS - 1] + "…"

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(row.get(h)) for h in headers) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))


def request_metadata(counters: RunCounters, items: int, seconds: float) -> dict[str, Any]:
    total = counters.total()
    return {
        "akeneo_requests": total.requests,
        "akeneo_retries": total.retries,
        "akeneo_429s": total.throttled,
        "akeneo_bytes": total.bytes,
        "items_per_second": round(items / seconds, 1) if seconds > 0 else 0.0,
        "requests_by_endpoint": dg.MetadataValue.json(counters.as_dict()),
    }


def load_metadata(result: LoadResult, counters: RunCounters | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "dagster/row_count": result.rows,
        "dagster/column_schema": column_schema(result.columns),
        "preview": markdown_table(result.preview),
        "parquet_files": len(result.parquet_files),
        "seconds": round(result.seconds, 2),
    }
    if result.value_rows is not None:
        metadata["value_rows"] = result.value_rows
    if counters is not None:
        metadata.update(request_metadata(counters, result.rows, result.seconds))
    if result.cursor_before is not None or result.cursor_after is not None:
        metadata["cursor_before"] = result.cursor_before or "(none: full read)"
        metadata["cursor_after"] = result.cursor_after or "(none)"
    return metadata
