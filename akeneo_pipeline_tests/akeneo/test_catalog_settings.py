"""Catalog mode's settings: AKENEO_CATALOG_ID (a UUID, an App only) and AKENEO_CATALOG_NAME."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from akeneo_pipeline.settings import AkeneoSettings

CATALOG = "12351d98-200e-4bbc-aa19-7fdda1bd14f2"


def settings(**values: object) -> AkeneoSettings:
    base: dict[str, object] = {"base_url": "pim.example.com", "access_token": SecretStr("t")}
    base.update(values)
    return AkeneoSettings(_env_file=None, **base)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("AKENEO_CATALOG_ID", "AKENEO_CATALOG_NAME", "AKENEO_ACCESS_TOKEN", "AKENEO_CATALOG_PAGE_SIZE"):
        monkeypatch.delenv(name, raising=False)


def test_no_catalog_reads_the_whole_pim() -> None:
    s = settings(catalog_id="  ", catalog_name="")
    assert not s.catalog_mode and s.catalog_id is None and s.catalog_name is None
    assert s.catalog_page_size == 1000


def test_catalog_id_is_canonical() -> None:
    s = settings(catalog_id=CATALOG.upper(), catalog_name=" Store EU ")
    assert s.catalog_mode and s.catalog_id == CATALOG and s.catalog_name == "Store EU"


def test_a_catalog_id_that_is_no_uuid_names_the_setting() -> None:
    with pytest.raises(ValidationError, match=r"AKENEO_CATALOG_ID 'store-eu' is not a catalog id"):
        settings(catalog_id="store-eu")


def test_catalogs_need_an_app_token() -> None:
    with pytest.raises(ValidationError, match=r"AKENEO_CATALOG_ID is set but there is no App token.*connect-app"):
        settings(access_token=None, client_id="c", client_secret=SecretStr("s"), username="u",
                 password=SecretStr("p"), catalog_id=CATALOG)


def test_a_name_without_an_id_says_to_run_connect_app() -> None:
    with pytest.raises(ValidationError, match=r"AKENEO_CATALOG_NAME='Store EU' is set but AKENEO_CATALOG_ID is not"):
        settings(catalog_name="Store EU")


def test_a_name_longer_than_akeneo_allows_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"AKENEO_CATALOG_NAME is 256 characters long"):
        settings(catalog_id=CATALOG, catalog_name="x" * 256)


def test_page_size_is_at_most_akeneos_1000() -> None:
    with pytest.raises(ValidationError, match="catalog_page_size"):
        settings(catalog_id=CATALOG, catalog_page_size=1001)
