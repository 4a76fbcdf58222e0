"""A bulk load pauses Python's cyclic collector process-wide (gc_pause.py); the cycles other
threads make meanwhile must still be freed batch by batch, not at the end of the run: httpx
Responses reference their stream and back, so every page's body would otherwise stay."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.sandbox import settings_for


def live_responses() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, httpx.Response))


def test_page_responses_do_not_pile_up_during_a_load(
    sandbox_factory: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    server = sandbox_factory(products=1500, seed=4)
    store = Store(tmp_path / "data", f"duckdb:///{tmp_path / 'w.duckdb'}", batch_rows=100)
    seen: list[int] = []

    with AkeneoClient(settings_for(server, page_size=10)) as client:
        def pages() -> Iterator[list[dict[str, Any]]]:
            for n, page in enumerate(client.iter_entities("products")):
                if n % 20 == 19:
                    seen.append(live_responses())
                yield page

        result = store.load_entities("products", pages(), run_id="r1", next_cursor=None, identifier_attribute="sku")
    assert result.rows == 1500  # 150 pages of 10 and their counts
    assert len(seen) >= 6
    assert max(seen) <= 40, seen  # a few per reader thread at most, not one per page read so far
