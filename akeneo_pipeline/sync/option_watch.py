"""Watch attribute options for changes within a bounded number of requests per look.

Options have no `updated` date, so the only way to see one change is to read it again. A large
catalog (200 select attributes, 20,000 options: a page per 100 options of each attribute) costs
more requests than a sensor tick can make inside Dagster's evaluation timeout, so the watch walks
the select attributes in passes, a slice per look: `watch_options` reads the next attributes'
options until its request budget or its deadline is spent, keeps a digest per attribute, and
returns where it stopped, to resume there. A changed digest (or an attribute added or removed,
seen when a pass starts) is a change; the first pass is a silent baseline. Any orchestrator can
keep the `OptionWatch` between looks (the Dagster sensor keeps it in its cursor).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.picklists.fingerprint import snapshot_fingerprint
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.streams import CATALOG_STREAMS

DIGEST_CHARS = 16  # per attribute: enough to tell a change, small enough for a cursor of 10,000 attributes


@dataclass
class OptionWatch:
    """Where the watch stands: each select attribute's digest as last read, the attributes of the
    current pass still to read ([code, type]), and how many passes are complete."""

    digests: dict[str, str] = field(default_factory=dict)
    pending: list[list[str]] = field(default_factory=list)
    passes: int = 0

    @property
    def fingerprint(self) -> str | None:
        """A digest of every attribute's digest after a complete pass; None before the first."""
        if self.passes == 0:
            return None
        joined = "\n".join(f"{code} {digest}" for code, digest in sorted(self.digests.items()))
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class OptionLook:
    """What one look found and what it cost."""

    changed: list[str]  # attributes whose options changed (added and removed attributes too)
    read: int  # attributes whose options this look read
    requests: int
    pass_complete: bool  # this look finished a pass
    cut_short: str | None  # why the look stopped before the end of its pass ("request budget", "deadline")
    remaining: int  # attributes of the pass left for later looks
    total: int  # select attributes in the pass


def watch_options(client: AkeneoClient, watch: OptionWatch, max_requests: int, deadline: float) -> OptionLook:
    """Read options for the next attributes of `watch`'s pass (starting one when none is under way)
    while fewer than `max_requests` requests were made and `time.monotonic()` is before `deadline`;
    updates `watch` in place. One attribute's pages are read whole, so a look may pass the budget
    by the pages of its last attribute less one."""
    options_stream = CATALOG_STREAMS["attribute_options"]
    assert options_stream.parent is not None
    changed: list[str] = []
    read = 0
    with client.metered() as counters:
        if not watch.pending:
            attributes = [item for page in client.iter_stream("attributes") for item in page]
            selects = sorted((item["code"], item["type"]) for item in attributes
                             if item.get("type") in options_stream.parent.types)
            codes = {code for code, _ in selects}
            if watch.passes:
                changed += sorted(codes.symmetric_difference(watch.digests))
            watch.digests = {code: digest for code, digest in watch.digests.items() if code in codes}
            watch.pending = [[code, kind] for code, kind in selects]
        total = len(watch.digests.keys() | {code for code, _ in watch.pending})
        cut_short = None
        while watch.pending:
            if counters.total().requests >= max_requests:
                cut_short = "request budget"
                break
            if time.monotonic() >= deadline:
                cut_short = "deadline"
                break
            code, kind = watch.pending[0]
            options = [item for page in client.iter_children(options_stream, [code]) for item in page]
            snapshot = OptionSnapshot.from_akeneo([{"code": code, "type": kind}], options)
            digest = snapshot_fingerprint(snapshot)[:DIGEST_CHARS]
            previous = watch.digests.get(code)
            if previous is not None and previous != digest and code not in changed:
                changed.append(code)
            watch.digests[code] = digest
            watch.pending.pop(0)
            read += 1
        complete = not watch.pending
        if complete:
            watch.passes += 1
        return OptionLook(changed=changed, read=read, requests=counters.total().requests, pass_complete=complete,
                          cut_short=cut_short, remaining=len(watch.pending), total=total)
