"""Fixtures of the sandbox's App catalog tests (test_app_catalogs.py, test_app_catalog_products*.py) and
of its Enterprise tests (test_enterprise_*.py: `ee` an Enterprise PIM, `saas` a Serenity one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.app_catalogs_http import App
from akeneo_pipeline_tests.fixtures.enterprise import api_for
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI


@pytest.fixture
def server(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(products=240, seed=3)


@pytest.fixture
def app(server: SandboxServer) -> Iterator[App]:
    client = App(server)
    yield client
    client.http.close()


@pytest.fixture
def ee(sandbox_factory: Callable[..., SandboxServer]) -> Iterator[SandboxAPI]:
    yield from api_for(sandbox_factory, edition="enterprise")


@pytest.fixture
def saas(sandbox_factory: Callable[..., SandboxServer]) -> Iterator[SandboxAPI]:
    yield from api_for(sandbox_factory, edition="serenity")
