"""Get-one lookups (is this attribute / attribute option still in Akeneo?) against the sandbox."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from akeneo_pipeline.akeneo import AkeneoClient, AkeneoHTTPError
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]


def test_present_items_come_back_and_a_404_is_none(sandbox: SandboxServer) -> None:
    sandbox.catalog.add_option("color", "dark blue", {"en_US": "Dark blue"})  # a code that needs escaping
    with AkeneoClient(settings_for(sandbox)) as client:
        attributes = client.get_attributes(["color", "no_such_attribute", "color"])
        options = client.get_attribute_options(
            [("color", "red"), ("color", "dark blue"), ("color", "no_such_option"), ("no_such_attribute", "red"),
             ("sku", "red")]
        )
        counted = client.counters.get("attribute_options").requests
    color, red, dark_blue = attributes["color"], options[("color", "red")], options[("color", "dark blue")]
    assert color is not None and red is not None and dark_blue is not None
    assert attributes == {"color": {**color, "code": "color", "type": "pim_catalog_simpleselect"},
                          "no_such_attribute": None}
    assert red["labels"]["fr_FR"] == "Rouge"
    assert dark_blue["code"] == "dark blue"
    assert [key for key, item in options.items() if item is None] == [
        ("color", "no_such_option"), ("no_such_attribute", "red"), ("sku", "red")]
    assert counted == 5
    assert sandbox.internal_errors == []


def test_lookups_run_side_by_side_within_the_concurrency_cap(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=20, latency_ms=40)
    keys = [("color", o["code"]) for o in server.catalog.items("attribute_options") if o["attribute"] == "color"]
    keys += [("size", o["code"]) for o in server.catalog.items("attribute_options") if o["attribute"] == "size"]
    with AkeneoClient(settings_for(server, max_concurrency=2)) as client:
        client.server_time()  # log in first: the token request is not a lookup
        server.limiter.max_in_flight_seen = 0
        found = client.get_attribute_options(keys)
    assert len(found) == len(keys) > 10 and all(item is not None for item in found.values())
    assert server.limiter.max_in_flight_seen == 2  # in parallel, never above the cap


def test_a_lookup_that_keeps_failing_raises_instead_of_guessing(sandbox_factory: Factory) -> None:
    server = sandbox_factory(products=20)
    with AkeneoClient(settings_for(server, max_attempts=2, backoff_base=0.01, backoff_max=0.02)) as client:
        client.server_time()
        server.configure(fault_rate=1.0, fault_kinds=("503",))
        with pytest.raises(AkeneoHTTPError) as info:
            client.get_attribute_options([("color", "red"), ("color", "blue")])
    assert info.value.status == 503 and "/api/rest/v1/attributes/color/options/" in str(info.value)
