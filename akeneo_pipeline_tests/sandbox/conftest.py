"""Fixtures of the sandbox's App catalog tests (test_app_catalogs.py, test_app_catalog_products.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.app_catalogs_http import App


@pytest.fixture
def server(sandbox_factory: Callable[..., SandboxServer]) -> SandboxServer:
    return sandbox_factory(products=240, seed=3)


@pytest.fixture
def app(server: SandboxServer) -> Iterator[App]:
    client = App(server)
    yield client
    client.http.close()


