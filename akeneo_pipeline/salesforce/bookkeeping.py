"""Remember, per attribute and target, the last change id Salesforce confirmed deployed.

The rule that makes a crash harmless: a position is written only after Salesforce reported
the deploy Succeeded. A run killed between the deploy and the write left the org updated and
the position behind, so the next run deploys the same whole lists again, which changes
nothing (a deploy sets the whole list; it adds or removes nothing that is already so), and
then writes the position. Nothing is ever applied twice in a way that shows.

A position also holds the mapping digest it was deployed under (SalesforceMapping.digest):
after a mapping change (a new language, another record type) the attribute deploys again
even with no new change.

`DeployedPositions` is the protocol the target needs; `JsonFilePositions` keeps positions in
one JSON file (written atomically), `CallbackPositions` hands them to two callables, so a
warehouse table can back them without this package knowing it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from akeneo_pipeline.atomic_write import atomic_write

PositionKey = tuple[str, str]
"""(attribute code, target key such as `field:Product2.Color__c`)."""

FILE_FORMAT = 1


@dataclass(frozen=True)
class DeployedPosition:
    change_id: int
    mapping_digest: str
    deploy_id: str | None = None


class DeployedPositions(Protocol):
    def read(self) -> Mapping[PositionKey, DeployedPosition]:
        """Every position recorded so far."""
        ...

    def record(self, positions: Mapping[PositionKey, DeployedPosition]) -> None:
        """Store `positions` (replacing those keys), durably, before returning. Called only after
        Salesforce reported success."""
        ...


class PositionsFileError(ValueError):
    """The positions file exists but cannot be read as one: stop rather than redeploy blindly."""


class JsonFilePositions:
    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[PositionKey, DeployedPosition]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise PositionsFileError(f"Salesforce positions file {self.path} is unreadable ({exc}); restore it or "
                                     "delete it to deploy every mapped attribute again") from None
        if not isinstance(raw, dict) or raw.get("format") != FILE_FORMAT or not isinstance(raw.get("positions"), list):
            raise PositionsFileError(f"Salesforce positions file {self.path} is not in format {FILE_FORMAT}")
        out: dict[PositionKey, DeployedPosition] = {}
        for row in raw["positions"]:
            try:
                out[(row["attribute_code"], row["target"])] = DeployedPosition(
                    int(row["change_id"]), str(row["mapping_digest"]), row.get("deploy_id"))
            except (KeyError, TypeError, ValueError):
                raise PositionsFileError(
                    f"Salesforce positions file {self.path} has a malformed row: {row!r}") from None
        return out

    def record(self, positions: Mapping[PositionKey, DeployedPosition]) -> None:
        merged = {**self.read(), **positions}
        rows = [{"attribute_code": a, "target": t, "change_id": p.change_id, "mapping_digest": p.mapping_digest,
                 "deploy_id": p.deploy_id} for (a, t), p in sorted(merged.items())]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path) as sink:
            sink.write(json.dumps({"format": FILE_FORMAT, "positions": rows}, indent=1).encode() + b"\n")


class CallbackPositions:
    """Positions kept by someone else: `read()` returns them all, `write(positions)` stores the new ones."""

    def __init__(self, read: Callable[[], Mapping[PositionKey, DeployedPosition]],
                 write: Callable[[Mapping[PositionKey, DeployedPosition]], None]) -> None:
        self._read, self._write = read, write

    def read(self) -> Mapping[PositionKey, DeployedPosition]:
        return self._read()

    def record(self, positions: Mapping[PositionKey, DeployedPosition]) -> None:
        self._write(positions)
