"""Check that the server's stamps carry the offsets AKENEO_TIMEZONE gives, before trusting it.

Search filter dates are written in AKENEO_TIMEZONE (windows.py) because Akeneo reads them
in its own time zone. A wrong setting shifts every window by the difference, silently: a
server at UTC-5 read with UTC values skips five hours of changes every run. Akeneo stamps
`updated` in that same zone with its offset (the standard format's DateTimeNormalizer
writes `format('c')`, e.g. `2017-10-05T11:25:48+02:00` in concepts_products.md), so the
offsets of the items read show the server's zone: one that disagrees with what the setting
gives at that instant stops the read before any cursor moves, naming the setting and the
offset seen.

Cheap: stamps are checked per (minute, offset) text, parsed once each (transitions fall on
whole minutes); a nightly delta of thousands of items costs a few hundred parses.
"""

from __future__ import annotations

import threading
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from akeneo_pipeline.akeneo.errors import ServerTimeZoneError

CACHED_MINUTES = 100_000  # (minute, offset) texts already judged; cleared when full


class StampCheck:
    """Shared by every read of one client; thread-safe."""

    def __init__(self, timezone_name: str) -> None:
        self.name = timezone_name
        self.zone: tzinfo = ZoneInfo(timezone_name)
        self._good: set[str] = set()
        self._lock = threading.Lock()
        self.verified = False  # an item's stamp agreed with the zone: the setting is right

    def check(self, items: list[dict[str, Any]], path: str) -> None:
        """Raise ServerTimeZoneError for the first item whose `updated` offset is not the zone's."""
        for item in items:
            text = item.get("updated") if isinstance(item, dict) else None
            if not isinstance(text, str) or len(text) < 20:
                continue  # no stamp to judge (the store rejects unreadable items itself)
            key = text[:16] + text[19:]  # the minute and the offset: seconds cannot change the offset
            if key in self._good or self._judge(text, key, path):
                self.verified = True

    def _judge(self, text: str, key: str, path: str) -> bool:
        """True if the stamp agrees with the zone, False if it says nothing about it; raises otherwise."""
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return False
        seen = moment.utcoffset()
        if seen is None:
            return False  # a stamp without an offset says nothing about the zone
        expected = moment.astimezone(self.zone).utcoffset()
        if seen != expected:
            raise ServerTimeZoneError(
                f"Akeneo stamps `updated` as {text!r}, offset {_offset(text, seen.total_seconds())}, but "
                f"AKENEO_TIMEZONE={self.name} is at {_offset('', expected.total_seconds() if expected else 0)} "
                "at that instant. Akeneo reads search filter dates in its server's time zone, so a wrong "
                "AKENEO_TIMEZONE shifts every read and skips changes: set it to the PIM server's php.ini "
                "date.timezone (an IANA name; UTC on SaaS). The read stopped before any cursor moved",
                path=path,
            )
        with self._lock:
            if len(self._good) >= CACHED_MINUTES:
                self._good.clear()
            self._good.add(key)
        return True


def _offset(text: str, seconds: float) -> str:
    """The offset as the stamp writes it (`+02:00`, `Z`), or as ±hh:mm."""
    if text.endswith("Z"):
        return "Z"
    sign = "-" if seconds < 0 else "+"
    minutes = int(abs(seconds)) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
