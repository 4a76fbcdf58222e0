"""One-shot mutations the sandbox applies between two requests of a client's read.

Akeneo's offset-paged lists (attributes, attribute options, families, ...) are
computed afresh for each page (`searchAfterOffset(..., ['code' => 'ASC'], limit,
offset)` in pim-community-dev's AttributeController and AttributeOptionController),
so an item created or removed while a client pages through a list shifts every later
item by one: a removal before the read position pushes the next item out of the pages
read, a creation makes the last item read come again. A test cannot time an edit
between two pages from outside, so the sandbox does it: "after the Nth request to a
path matching PATTERN, apply the admin mutation M with body B".

Only REST API requests the sandbox answered 200 count (a throttled or failed request
served no page). The mutation runs after the Nth answer is built and before it is
sent, so request N sees the catalog before the edit and request N+1 after it. Each
entry fires once; `applied` records what ran (and any error, since a mutation that
fails mid-request must not break the answer it follows).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScheduledMutation:
    path: re.Pattern[str]  # matched in full against the request's path (no query string)
    after: int  # fire after this many matching requests
    mutation: str  # an admin POST route, e.g. "attribute-options/remove"
    body: dict[str, Any] = field(default_factory=dict)
    seen: int = 0

    def describe(self) -> dict[str, Any]:
        return {"path": self.path.pattern, "after": self.after, "mutation": self.mutation, "body": self.body,
                "seen": self.seen}


class MutationSchedule:
    """Thread-safe: the server answers requests on many threads."""

    def __init__(self, known_mutations: Callable[[], set[str]]) -> None:
        self._known = known_mutations
        self._lock = threading.Lock()
        self._pending: list[ScheduledMutation] = []
        self.applied: list[dict[str, Any]] = []

    def add(self, path: str, after: int, mutation: str, body: dict[str, Any] | None = None) -> None:
        """Schedule `mutation` (an admin POST route) after the `after`-th request matching `path`."""
        try:
            pattern = re.compile(path)
        except re.error as exc:
            raise ValueError(f"path {path!r} is not a regular expression: {exc}") from None
        if not isinstance(after, int) or isinstance(after, bool) or after < 1:
            raise ValueError(f"after must be a whole number >= 1, got {after!r}")
        known = self._known()
        if mutation not in known:
            raise ValueError(f"unknown mutation {mutation!r}; expected one of: {', '.join(sorted(known))}")
        if body is not None and not isinstance(body, dict):
            raise ValueError(f"body must be a JSON object, got {type(body).__name__}")
        with self._lock:
            self._pending.append(ScheduledMutation(pattern, after, mutation, dict(body or {})))

    def due(self, path: str) -> list[ScheduledMutation]:
        """Count one answered request to `path`; the entries that fire now, removed from the schedule."""
        with self._lock:
            firing = []
            for entry in self._pending:
                if entry.path.fullmatch(path):
                    entry.seen += 1
                    if entry.seen >= entry.after:
                        firing.append(entry)
            for entry in firing:
                self._pending.remove(entry)
            return firing

    def record(self, entry: ScheduledMutation, error: str | None) -> None:
        with self._lock:
            self.applied.append({**entry.describe(), "error": error})

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [entry.describe() for entry in self._pending]

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self.applied.clear()
