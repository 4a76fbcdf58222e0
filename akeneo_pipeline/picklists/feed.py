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


FEED_VERSION = 2
DEFAULT_SOURCE = "attribute_option"


class FeedGapError(RuntimeError):
    """The feed does not continue from the consumer's last change_id: files are missing
    (retention, a partial copy), so applying what follows would skip changes."""


class FeedEpochError(FeedGapError):
    """The consumer's position belongs to another feed epoch: the warehouse was rebuilt (its
    change_ids started again at 1), so the position means nothing in this feed."""


class FeedAheadError(FeedGapError):
    """The consumer's position is beyond the feed's last change_id: the feed it followed is not
    this one (a restored or rebuilt warehouse, another data dir), so nothing would ever be read."""


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


def feed_line(row: Mapping[str, Any], epoch: str) -> dict[str, Any]:
    """A picklist_changes row as a version 2 feed line: the row plus `feed_version`, `epoch` and
    `source` (where the values come from; the picklist tables' `source` column when it has one)."""
    return {**row, "source": row.get("source") or DEFAULT_SOURCE, "feed_version": FEED_VERSION, "epoch": epoch}


def write_feed_file(data_dir: Path, rows: Sequence[Mapping[str, Any]], *, epoch: str) -> Path:
    """Write rows (see rows.py; consecutive change_ids) as one file, atomically, each line
    carrying the warehouse's feed `epoch`.

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
            line = json.dumps(feed_line(row, epoch), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              default=_json_value)
            sink.write(line.encode("utf-8") + b"\n")
    return target


def last_written_change_id(data_dir: Path) -> int:
    """Highest change_id present in the feed (0 for an empty feed)."""
    spans = _feed_files(data_dir)
    return spans[-1][1] if spans else 0


def read_changes_after(data_dir: Path, last_change_id: int, *, epoch: str | None = None) -> Iterator[dict[str, Any]]:
    """Every change with change_id > last_change_id, in order: the consumer convention.

    A consumer stores the epoch and the change_id of the last row it applied and passes
    them here next time (0 the first time, after bootstrapping from picklist_current or the
    value-list records, feed_snapshots.py). Raises FeedGapError rather than skip changes
    when files are missing, FeedEpochError when `epoch` is not the feed's, FeedAheadError
    when `last_change_id` is beyond the feed's end: never an empty read in those cases.
    """
    files = _feed_files(data_dir)
    check_position(data_dir, last_change_id, epoch, files[-1][2] if files else None,
                   files[-1][1] if files else 0)
    expected = last_change_id + 1
    for first, last, path in files:
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
                if epoch is not None and row.get("epoch") not in (None, epoch):
                    raise FeedEpochError(_epoch_message(data_dir, epoch, row["epoch"]))
                if row["change_id"] >= expected:
                    yield row
        expected = last + 1


def check_position(data_dir: Path, last_change_id: int, epoch: str | None, newest: Path | None,
                   newest_change_id: int) -> None:
    """Refuse a position of another epoch (checked on the newest file) or beyond the feed's end."""
    found = file_epoch(newest) if newest is not None else None
    if epoch is not None and found is not None and found != epoch:
        raise FeedEpochError(_epoch_message(data_dir, epoch, found))
    if last_change_id > newest_change_id:
        raise FeedAheadError(
            f"picklist feed in {feed_dir(data_dir)} ends at change_id {newest_change_id}, but the consumer's "
            f"position is {last_change_id}: it followed another feed (a rebuilt or restored warehouse?); "
            "re-bootstrap from the value-list records or picklist_current and store the feed's epoch")


def retire_other_epochs(data_dir: Path, epoch: str) -> Path | None:
    """Move the feed files of another epoch (a warehouse rebuilt on the same data dir) out of the
    way, into `picklist_feed/retired-<their epoch>/`, so the new epoch's change_ids, which start
    again at 1, are written and a consumer of the old feed is told (FeedEpochError) instead of
    reading nothing. Version 1 files (no epoch) are the same warehouse's and stay."""
    directory = feed_dir(data_dir)
    files = sorted(p for p in directory.glob("picklist-*.jsonl")) if directory.is_dir() else []
    newest = _feed_files(data_dir)
    old = file_epoch(newest[-1][2]) if newest else None
    if old is None or old == epoch:
        return None
    retired = directory / f"retired-{old}"
    retired.mkdir(exist_ok=True)
    for path in files:
        path.rename(retired / path.name)
    return retired


def file_epoch(path: Path) -> str | None:
    """The epoch the first line of a feed file carries (None for a version 1 file)."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    epoch = json.loads(first).get("epoch") if first.strip() else None
    return epoch if isinstance(epoch, str) else None


def _epoch_message(data_dir: Path, wanted: str, found: str) -> str:
    return (f"picklist feed in {feed_dir(data_dir)} is epoch {found}, but the consumer's position belongs to epoch "
            f"{wanted}: the warehouse was rebuilt and its change_ids started again; re-bootstrap from the "
            "value-list records or picklist_current")


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

