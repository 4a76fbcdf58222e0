"""What is worth retrying, and how long to wait before the next attempt.

Akeneo's limits (4 concurrent calls per connection, 100 requests per second per
instance) answer 429, usually with `Retry-After`; gateways answer 502/503/504 and
drop connections under load. A GET is safe to repeat, so all of these are retried.
"""

from __future__ import annotations

import random
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRYABLE_STATUSES = frozenset({408, 429})
RETRY_AFTER_CAP_SECONDS = 300.0


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


def unresolvable_host(exc: BaseException) -> bool:
    """True when DNS says the host does not exist: a wrong AKENEO_BASE_URL, not a glitch.

    EAI_AGAIN (a resolver that did not answer in time) stays retryable.
    """
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return cause.errno != socket.EAI_AGAIN
        cause = cause.__cause__ or cause.__context__
    return False


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds (delta or HTTP date), capped so a bad header cannot hang a run."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_SECONDS)


class Backoff:
    """Exponential backoff with jitter (between half and all of the ceiling): spreads the
    retries of concurrent workers so they do not hit a throttled server in lockstep,
    while still waiting long enough for the throttle to clear."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)
