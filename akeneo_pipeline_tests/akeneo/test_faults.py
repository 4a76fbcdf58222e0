"""Throttling, server errors, dropped connections and broken pages, injected by the sandbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from akeneo_pipeline.akeneo import AkeneoClient, AkeneoConnectionError, AkeneoHTTPError, MalformedResponseError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.streams import OPTION_ATTRIBUTE_TYPES, Stream
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]
PRODUCTS_PATH = "/api/rest/v1/products-uuid"


def read_uuids(client: AkeneoClient) -> list[str]:
    return [item["uuid"] for page in client.iter_entities("products") for item in page]


def assert_exactly_once(got: list[str], server: SandboxServer) -> None:
    truth = {p["uuid"] for p in server.catalog.iter_products()}
    assert max(Counter(got).values()) == 1
    assert set(got) == truth


@pytest.mark.parametrize("retry_after", [True, False])
def test_429s_are_retried_with_and_without_retry_after(sandbox_factory: Factory, retry_after: bool) -> None:
    server = sandbox_factory(products=120, rps_limit=6, retry_after=retry_after)
    with AkeneoClient(settings_for(server, max_concurrency=1, page_size=20, backoff_base=0.2,
                                   backoff_max=0.4, max_attempts=8)) as client:
        got = read_uuids(client)
        counters = client.counters.total()
    assert_exactly_once(got, server)
    log = [e for e in server.request_log if e.path != "/api/oauth/v1/token"]
    throttled = [i for i, e in enumerate(log) if e.status == 429]
    assert throttled and counters.throttled == len(throttled) and counters.retries >= len(throttled)
    # one worker: the request after a 429 is its retry; the gap shows which delay was used
    gaps = [log[i + 1].started_at - log[i].started_at for i in throttled if i + 1 < len(log)]
    if retry_after:
        assert min(gaps) >= 0.95  # Retry-After: 1
    else:
        assert max(gaps) < 0.9  # exponential backoff capped at 0.4s


def test_concurrent_reader_over_the_servers_limit_still_reads_everything(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=150, concurrency_limit=2, latency_ms=15, retry_after=False)
    with AkeneoClient(settings_for(server, max_concurrency=4, page_size=10, backoff_base=0.1,
                                   backoff_max=0.5, max_attempts=10)) as client:
        got = read_uuids(client)
        assert client.counters.total().throttled > 0
    assert_exactly_once(got, server)


def test_concurrent_reads_never_exceed_the_cap(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=200, concurrency_limit=3, latency_ms=10)
    with AkeneoClient(settings_for(server, max_concurrency=3, page_size=10)) as client:
        got = read_uuids(client)
        codes = [a["code"] for a in server.catalog.items("attributes") if a["type"] in OPTION_ATTRIBUTE_TYPES]
        list(client.iter_children("attribute_options", codes * 3))
        list(client.iter_stream("family_variants"))
        assert client.counters.total().throttled == 0
    assert_exactly_once(got, server)
    assert server.stats()["max_in_flight_seen"] == 3
    assert not [e for e in server.request_log if e.status == 429]


def test_server_errors_drops_and_cut_bodies_are_retried(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=200, fault_rate=0.25, fault_seed=11,
                             fault_kinds=("500", "502", "503", "drop", "truncate"))
    with AkeneoClient(settings_for(server, page_size=10, max_attempts=8, backoff_base=0.01,
                                   backoff_max=0.05)) as client:
        got = read_uuids(client)
        options = [o for page in client.iter_stream("attribute_options") for o in page]
        retries = client.counters.total().retries
    assert_exactly_once(got, server)
    assert len(options) == len(server.catalog.items("attribute_options"))
    injected = server.stats()["faults_injected"]
    assert {"drop", "truncate"} <= set(injected) and {"500", "502", "503"} & set(injected)
    assert retries >= sum(injected.values())


def test_a_malformed_page_raises_instead_of_ending_the_read(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=300, fault_on_nth=3, fault_kinds=("malformed",))
    pages: list[list[dict]] = []
    with (
        AkeneoClient(settings_for(server, max_concurrency=1, page_size=50)) as client,
        pytest.raises(MalformedResponseError) as info,
    ):
        for page in client.iter_entities("products"):  # request 1 counts, 2 is page one, 3 is page two
            pages.append(page)
    assert len(pages) == 1
    assert info.value.path == PRODUCTS_PATH and info.value.status == 200
    assert "not JSON" in str(info.value) and PRODUCTS_PATH in str(info.value)


def test_retries_are_bounded_and_the_error_names_endpoint_and_status(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=50, fault_rate=1.0, fault_kinds=("503",))
    with (
        AkeneoClient(settings_for(server, max_attempts=3, backoff_base=0.01)) as client,
        pytest.raises(AkeneoHTTPError) as info,
    ):
        list(client.iter_stream("channels"))
    error = info.value
    assert error.status == 503 and error.attempts == 3 and error.endpoint == "GET /api/rest/v1/channels"
    assert "503" in str(error) and "GET /api/rest/v1/channels" in str(error)
    assert len([e for e in server.request_log if e.path == "/api/rest/v1/channels"]) == 3

    server.configure(fault_kinds=("drop",))
    with (
        AkeneoClient(settings_for(server, max_attempts=2, backoff_base=0.01)) as client,
        pytest.raises(AkeneoConnectionError, match="no answer from Akeneo") as info2,
    ):
        list(client.iter_stream("locales"))
    assert info2.value.endpoint == "GET /api/rest/v1/locales" and info2.value.attempts == 2


def test_other_4xx_are_not_retried_and_carry_akeneos_message(sandbox: SandboxServer) -> None:
    with AkeneoClient(settings_for(sandbox)) as client:
        missing = Stream("attribute_options", "/api/rest/v1/attributes/no_such_attribute/options", ("code",), ())
        with pytest.raises(AkeneoHTTPError) as info:
            list(client.iter_stream(missing))
    assert info.value.status == 404 and info.value.akeneo_message
    assert info.value.akeneo_message in str(info.value)
    assert len([e for e in sandbox.request_log if "no_such_attribute" in e.path]) == 1


def test_timeouts_are_retried_then_reported(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=50, latency_ms=600)
    with AkeneoClient(settings_for(server, read_timeout=0.2, max_attempts=2, backoff_base=0.01)) as client:
        with pytest.raises(AkeneoConnectionError, match="ReadTimeout") as info:
            list(client.iter_stream("currencies"))
        assert info.value.attempts == 2 and client.counters.get("currencies").retries == 1
        server.configure(latency_ms=0.0)
        assert len([c for page in client.iter_stream("currencies") for c in page]) == 3
