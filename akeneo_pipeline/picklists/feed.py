"""The picklist change feed: JSON-lines files under `<data_dir>/picklist_feed/`.

One file per run with changes, named `picklist-changes-<first>-<last>.jsonl`
with zero-padded change_ids, so a plain sort of the names is change_id order
and a reader can skip whole files. Files appear atomically (written under a
dot-name, then renamed), so a consumer never sees half a file. The reference
consumer is `read_changes_after`; the convention is in docs/picklist-feed.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from akeneo_pipeline.atomic_write import atomic_write

FEED_DIR_NAME = "picklist_feed"
_FILE_NAME = re.compile(r"^picklist-changes-(\d{20})-(\d{20})\.jsonl$")


class FeedGapError(RuntimeError):
    """The feed does not continue from the consumer's last change_id: files are missing
    (retention, a partial copy), so applying what follows would skip changes."""


@cache
def change_schema() -> dict[str, Any]:
    """The JSON Schema of one feed line, shipped inside the package."""
    text = resources.files("akeneo_pipeline.picklists").joinpath("picklist_change.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def feed_dir(data_dir: Path) -> Path:
    return Path(data_dir) / FEED_DIR_NAME


def feed_file_name(first_change_id: int, last_change_id: int) -> str:
    return f"picklist-changes-{first_change_id:020d}-{last_change_id:020d}.jsonl"


def write_feed_file(data_dir: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """Write rows (see rows.py; consecutive change_ids) as one file, atomically.

    Rewriting the same rows gives the same bytes, so a retried run is harmless.
    """
    if not rows:
        raise ValueError("a feed file needs at least one change")
    ids = [row["change_id"] for row in rows]
    if ids != list(range(ids[0], ids[0] + len(ids))):
        raise ValueError(f"feed rows must have consecutive change_ids, got {ids[0]}..{ids[-1]} with gaps or disorder")
    directory = feed_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / feed_file_name(ids[0], ids[-1])
    with atomic_write(target) as sink:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_value)
            sink.write(line.encode("utf-8") + b"\n")
    return target


def last_written_change_id(data_dir: Path) -> int:
    """Highest change_id present in the feed (0 for an empty feed)."""
    spans = _feed_files(data_dir)
    return spans[-1][1] if spans else 0


def read_changes_after(data_dir: Path, last_change_id: int) -> Iterator[dict[str, Any]]:
    """Every change with change_id > last_change_id, in order: the consumer convention.

    A consumer stores the change_id of the last row it applied and passes it here
    next time (0 the first time, after bootstrapping from picklist_current).
    Raises FeedGapError rather than skip changes when files are missing.
    """
    expected = last_change_id + 1
    for first, last, path in _feed_files(data_dir):
        if last < expected:
            continue
        if first > expected:
            raise FeedGapError(
                f"picklist feed in {feed_dir(data_dir)} jumps from change_id {expected - 1} to {first}: "
                f"file {path.name} does not follow the previous one; re-bootstrap from picklist_current"
            )
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row["change_id"] >= expected:
                    yield row
        expected = last + 1


def _feed_files(data_dir: Path) -> list[tuple[int, int, Path]]:
    directory = feed_dir(data_dir)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _FILE_NAME.match(path.name)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), path))
    return sorted(found)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to the picklist feed")

