"""Value-list records: each touched attribute's whole ordered list, beside the change feed.

Salesforce (and any target that replaces a whole list per deploy) needs every option an
attribute ever had, not just the changes, so with each run's changes the feed also gets
`picklist-value-lists-<first>-<last>.jsonl`: one line per attribute the changes
`first`..`last` touched, its list as of `last` (picklist_current after the commit: removed
options included, `active: false`). A consumer that reads only the feed directory can
bootstrap from these records and deploy; `read_value_lists_after` is the reference reader.
The records are built inside the commit's transaction and written before the change
files, so every change in the feed has a record covering it (docs/picklist-feed.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from akeneo_pipeline.atomic_write import atomic_write
from akeneo_pipeline.picklists.feed import (
    DEFAULT_SOURCE,
    FEED_VERSION,
    FeedEpochError,
    FeedGapError,
    check_position,
    feed_dir,
)

_FILE_NAME = re.compile(r"^picklist-value-lists-(\d{20})-(\d{20})\.jsonl$")


@cache
def value_list_schema() -> dict[str, Any]:
    """The JSON Schema of one value-list line, shipped inside the package."""
    text = resources.files("akeneo_pipeline.picklists").joinpath("picklist_value_list.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def value_list_file_name(first_change_id: int, last_change_id: int) -> str:
    return f"picklist-value-lists-{first_change_id:020d}-{last_change_id:020d}.jsonl"


def _option_order(option: Mapping[str, Any]) -> tuple[bool, int, str]:
    # Akeneo's sort_order, options without one last, then the code: the order a target shows.
    sort_order = option.get("sort_order")
    return (sort_order is None, sort_order or 0, str(option["code"]))


def build_records(
    attribute_rows: Sequence[Mapping[str, Any]], option_rows: Iterable[Mapping[str, Any]],
    details: Mapping[str, Mapping[str, Any]], first_change_id: int, last_change_id: int, epoch: str,
) -> list[dict[str, Any]]:
    """One record per picklist_attributes row, with its picklist_current rows, in code order."""
    options: dict[str, list[dict[str, Any]]] = {}
    for row in option_rows:
        options.setdefault(row["attribute_code"], []).append({
            "code": row["option_code"], "sort_order": row["sort_order"], "labels": dict(row["labels"] or {}),
            "active": bool(row["active"])})
    records = []
    for attribute in sorted(attribute_rows, key=lambda r: r["attribute_code"]):
        code = attribute["attribute_code"]
        found = details.get(code, {})
        records.append({
            "feed_version": FEED_VERSION, "epoch": epoch, "record_type": "value_list",
            "first_change_id": first_change_id, "as_of_change_id": last_change_id,
            "attribute_code": code, "attribute_type": attribute["attribute_type"],
            "source": attribute.get("source") or DEFAULT_SOURCE, "active": bool(attribute["active"]),
            "labels": dict(found.get("labels") or {}), "auto_option_sorting": found.get("auto_option_sorting"),
            "options": sorted(options.get(code, []), key=_option_order),
        })
    return records


def write_value_list_file(data_dir: Path, records: Sequence[Mapping[str, Any]], first_change_id: int,
                          last_change_id: int) -> Path:
    """The records of changes first..last as one file, atomically (same records, same bytes)."""
    directory = feed_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / value_list_file_name(first_change_id, last_change_id)
    with atomic_write(target) as sink:
        for record in records:
            sink.write(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    return target


def value_lists_high_water(data_dir: Path) -> int:
    """Highest change_id a value-list file covers (0 when there is none)."""
    files = _files(data_dir)
    return max((last for _, last, _ in files), default=0)


def read_value_lists_after(data_dir: Path, last_change_id: int, *,
                           epoch: str | None = None) -> list[dict[str, Any]]:
    """The newest record of every attribute changed after `last_change_id`, in attribute order.

    0 gives every attribute any change ever touched (a bootstrap; an attribute the feed never
    changed since the baseline is in picklist_current only). The same errors as
    `read_changes_after`: another epoch, a position beyond the feed, or files missing.
    """
    files = _files(data_dir)
    newest = max(files, key=lambda f: f[1]) if files else None
    check_position(data_dir, last_change_id, epoch, newest[2] if newest else None, newest[1] if newest else 0)
    wanted = [f for f in files if f[1] > last_change_id]
    if wanted and min(first for first, _, _ in wanted) > last_change_id + 1:
        raise FeedGapError(f"picklist value-list records in {feed_dir(data_dir)} start after change_id "
                           f"{last_change_id + 1}: files are missing; re-bootstrap from picklist_current")
    latest: dict[str, dict[str, Any]] = {}
    for _, _, path in sorted(wanted, key=lambda f: (f[1], f[0])):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if epoch is not None and record.get("epoch") != epoch:
                    raise FeedEpochError(f"picklist value-list file {path.name} is epoch {record.get('epoch')}, "
                                         f"not the consumer's {epoch}: re-bootstrap")
                latest[record["attribute_code"]] = record
    return [latest[code] for code in sorted(latest)]


def _files(data_dir: Path) -> list[tuple[int, int, Path]]:
    directory = feed_dir(data_dir)
    if not directory.is_dir():
        return []
    return sorted((int(m.group(1)), int(m.group(2)), p) for p in directory.iterdir()
                  if (m := _FILE_NAME.match(p.name)))
