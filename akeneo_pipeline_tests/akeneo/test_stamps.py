"""The check of items' stamps against AKENEO_TIMEZONE: an offset the zone does not give at
that instant stops the read, naming the setting and the offset seen."""

from __future__ import annotations

import pytest

from akeneo_pipeline.akeneo import ServerTimeZoneError
from akeneo_pipeline.akeneo.stamps import StampCheck

PATH = "/api/rest/v1/products-uuid"


def items(*stamps: str) -> list[dict]:
    return [{"uuid": f"u{n}", "updated": stamp} for n, stamp in enumerate(stamps)]


def test_utc_accepts_plus_zero_and_z_and_refuses_another_offset() -> None:
    check = StampCheck("UTC")
    assert not check.verified
    check.check(items("2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00Z", "2026-03-01T10:00:59+00:00"), PATH)
    assert check.verified
    with pytest.raises(ServerTimeZoneError) as raised:
        check.check(items("2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00+02:00"), PATH)
    message = str(raised.value)
    assert "AKENEO_TIMEZONE=UTC" in message and "offset +02:00" in message and "+00:00" in message
    assert "'2026-03-01T10:00:00+02:00'" in message and raised.value.path == PATH


def test_a_dst_zone_wants_the_offset_of_each_instant() -> None:
    check = StampCheck("America/New_York")
    check.check(items("2026-01-15T09:00:00-05:00", "2026-07-15T09:00:00-04:00"), PATH)
    # -05:00 is New York's winter offset, but in July it is another zone's (Chicago's summer)
    with pytest.raises(ServerTimeZoneError, match=r"offset -05:00.*AKENEO_TIMEZONE=America/New_York is at -04:00"):
        check.check(items("2026-07-15T09:00:00-05:00"), PATH)
    with pytest.raises(ServerTimeZoneError, match=r"offset Z"):
        check.check(items("2026-01-15T14:00:00Z"), PATH)


def test_both_occurrences_of_a_repeated_hour_are_right_and_a_judged_minute_is_remembered() -> None:
    check = StampCheck("Europe/Helsinki")
    # 2025-10-26: 03:30 local happens at +03:00, then again at +02:00
    check.check(items("2025-10-26T03:30:00+03:00", "2025-10-26T03:30:00+02:00"), PATH)
    check.check(items(*(f"2025-10-26T03:30:{s:02d}+02:00" for s in range(60))), PATH)
    with pytest.raises(ServerTimeZoneError):
        check.check(items("2025-10-26T03:30:00+01:00"), PATH)


def test_items_without_a_readable_stamp_prove_nothing() -> None:
    check = StampCheck("UTC")
    check.check([{"uuid": "a"}, {"uuid": "b", "updated": None}, {"uuid": "c", "updated": "yesterday, roughly"},
                 {"uuid": "d", "updated": "2026-03-01T10:00:00"}], PATH)
    assert not check.verified  # the read probes one item instead (records.py, verify_zone)
