"""AkeneoSettings from the environment, and the App scope check."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from akeneo_pipeline.akeneo import REQUIRED_SCOPES, check_scopes, missing_scopes
from akeneo_pipeline.settings import AkeneoSettings

CONNECTION = {
    "AKENEO_CLIENT_ID": "cid",
    "AKENEO_CLIENT_SECRET": "s3cret-client",
    "AKENEO_USERNAME": "api_user",
    "AKENEO_PASSWORD": "s3cret-password",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in list(CONNECTION) + ["AKENEO_BASE_URL", "AKENEO_ACCESS_TOKEN", "AKENEO_ALLOW_INSECURE_HTTP",
                                    "AKENEO_TIMEZONE"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("my-pim.cloud.akeneo.com/", "https://my-pim.cloud.akeneo.com"),
        ("https://my-pim.cloud.akeneo.com/", "https://my-pim.cloud.akeneo.com"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://localhost:9000/", "http://localhost:9000"),
    ],
)
def test_base_url_forms(env: pytest.MonkeyPatch, raw: str, expected: str) -> None:
    for name, value in CONNECTION.items():
        env.setenv(name, value)
    env.setenv("AKENEO_BASE_URL", raw)
    settings = AkeneoSettings()
    assert settings.base_url == expected
    assert settings.max_concurrency == 4 and settings.page_size == 100


def test_timezone_is_utc_unless_set_and_must_be_an_iana_name(env: pytest.MonkeyPatch) -> None:
    """AKENEO_TIMEZONE: the server's zone, in which Akeneo reads filter dates (UTC on SaaS)."""
    for name, value in CONNECTION.items():
        env.setenv(name, value)
    env.setenv("AKENEO_BASE_URL", "pim.example.com")
    assert AkeneoSettings().timezone == "UTC"
    env.setenv("AKENEO_TIMEZONE", "America/New_York")
    assert str(AkeneoSettings().zone) == "America/New_York"
    for bad in ("Mars/Olympus", "+02:00", ""):
        env.setenv("AKENEO_TIMEZONE", bad)
        with pytest.raises(ValidationError, match=r"AKENEO_TIMEZONE .* is not an IANA time zone"):
            AkeneoSettings()


def test_plain_http_to_a_remote_host_is_refused_unless_allowed(env: pytest.MonkeyPatch) -> None:
    for name, value in CONNECTION.items():
        env.setenv(name, value)
    env.setenv("AKENEO_BASE_URL", "http://pim.example.com")
    with pytest.raises(ValidationError, match="AKENEO_ALLOW_INSECURE_HTTP"):
        AkeneoSettings()
    env.setenv("AKENEO_ALLOW_INSECURE_HTTP", "true")
    assert AkeneoSettings().base_url == "http://pim.example.com"


@pytest.mark.parametrize("value", ["5", "10"])
def test_concurrency_above_akeneos_limit_is_refused_naming_the_variable_and_the_limit(
    env: pytest.MonkeyPatch, value: str
) -> None:
    for name, val in CONNECTION.items():
        env.setenv(name, val)
    env.setenv("AKENEO_BASE_URL", "pim.example.com")
    env.setenv("AKENEO_MAX_CONCURRENCY", "4")
    assert AkeneoSettings().max_concurrency == 4
    env.setenv("AKENEO_MAX_CONCURRENCY", value)
    with pytest.raises(ValidationError) as info:
        AkeneoSettings()
    assert f"AKENEO_MAX_CONCURRENCY={value} is above Akeneo's limit of 4 concurrent calls" in str(info.value)


def test_secrets_never_show(env: pytest.MonkeyPatch) -> None:
    for name, value in CONNECTION.items():
        env.setenv(name, value)
    env.setenv("AKENEO_BASE_URL", "pim.example.com")
    settings = AkeneoSettings()
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert "s3cret" not in shown
    assert settings.password is not None and settings.password.get_secret_value() == "s3cret-password"


def test_incomplete_credentials_name_the_missing_variables(env: pytest.MonkeyPatch) -> None:
    env.setenv("AKENEO_BASE_URL", "pim.example.com")
    env.setenv("AKENEO_CLIENT_ID", "cid")
    with pytest.raises(ValidationError) as info:
        AkeneoSettings()
    message = str(info.value)
    assert "AKENEO_CLIENT_SECRET" in message and "AKENEO_PASSWORD" in message and "AKENEO_ACCESS_TOKEN" in message
    env.setenv("AKENEO_ACCESS_TOKEN", "app-token")
    assert AkeneoSettings().uses_app_token


def test_scopes_name_what_is_missing_and_write_implies_read() -> None:
    assert missing_scopes(" ".join(REQUIRED_SCOPES)) == []
    granted = "write_products read_catalog_structure read_attribute_options read_categories"
    assert missing_scopes(granted) == [
        "read_channel_settings", "read_channel_localization", "read_association_types",
    ]
    with pytest.raises(ValueError, match="read_association_types") as info:
        check_scopes(granted.split())
    assert "read_products" not in str(info.value)
    assert missing_scopes(None) == list(REQUIRED_SCOPES)
