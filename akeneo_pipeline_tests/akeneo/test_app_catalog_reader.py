"""The catalog reader's filter dates: every second of a window matches, whichever way Akeneo reads
`updated_after` / `updated_before` (strict alone, BETWEEN inclusive together, per its code)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from akeneo_pipeline.akeneo.app_catalog import catalog_settings_url
from akeneo_pipeline.akeneo.app_catalog_reader import updated_params
from akeneo_pipeline.akeneo.windows import Window

START = int(datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC).timestamp())


def test_window_bounds_are_sent_one_second_wide_with_their_offset() -> None:
    params = updated_params(Window(START, START + 2), UTC)
    assert params == {"updated_after": "2026-03-29T00:59:58+00:00", "updated_before": "2026-03-29T01:00:01+00:00"}
    paris = updated_params(Window(START, START + 2), ZoneInfo("Europe/Paris"))  # across the spring-forward
    assert paris == {"updated_after": "2026-03-29T01:59:58+01:00", "updated_before": "2026-03-29T03:00:01+02:00"}
    assert updated_params(Window(), UTC) == {}
    assert updated_params(Window(None, START), UTC) == {"updated_before": "2026-03-29T00:59:59+00:00"}


def test_the_settings_url_is_the_guides() -> None:
    assert catalog_settings_url("https://my-pim.cloud.akeneo.com", "12351d98-200e-4bbc-aa19-7fdda1bd14f2") == (
        "https://my-pim.cloud.akeneo.com/connect/apps/v1/catalogs/12351d98-200e-4bbc-aa19-7fdda1bd14f2")
