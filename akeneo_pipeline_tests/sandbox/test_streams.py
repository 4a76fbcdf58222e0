"""Every stream the pipeline declares (akeneo_pipeline/streams.py) is served by the sandbox.

The sandbox keeps its own model of Akeneo's routes and never imports the declarations: a
model that shared the product's reading of the API would agree with any misreading of it.
This test is where the two meet: each declared path, its sub-resources under a real parent
and the Akeneo 6 route of products, answered the way the declaration says it is read.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.streams import CATALOG_STREAMS, ENTITY_STREAMS, STREAMS, Read, Stream
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI

Factory = Callable[..., SandboxServer]


def served_path(server: SandboxServer, stream: Stream) -> str:
    if stream.parent is None:
        return stream.path
    parent = CATALOG_STREAMS[stream.parent.stream]
    codes = [item["code"] for item in server.catalog.items(parent.name)
             if not stream.parent.types or item.get("type") in stream.parent.types]
    return stream.path.replace("{parent}", codes[0])


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_every_declared_stream_is_served_as_declared(sandbox_api: SandboxAPI, sandbox: SandboxServer,
                                                     name: str) -> None:
    stream = STREAMS[name]
    params = dict(stream.params)
    if stream.read is Read.WINDOWED:
        params["pagination_type"] = "search_after"
    response = sandbox_api.get(served_path(sandbox, stream), **params)
    assert response.status_code == 200, response.text
    body = response.json()
    items = body if stream.read is Read.UNPAGINATED else body["_embedded"]["items"]
    assert items, f"{name}: no items"
    item = items[0]
    key_fields = [field for field in stream.item_key if stream.parent is None or field != stream.parent.field]
    assert all(isinstance(item.get(field), str) for field in key_fields), (name, item)
    if stream.parent is not None and stream.parent.in_item:
        assert isinstance(item.get(stream.parent.field), str), (name, item)
    if stream.read is Read.UNPAGINATED:
        assert isinstance(body, list)
    if name in CATALOG_STREAMS:  # every column the table keeps is a field Akeneo's item carries
        if stream.read is not Read.UNPAGINATED:
            items, _ = sandbox_api.walk(served_path(sandbox, stream), **params)
        fields = {field for i in items for field in i}
        added = {stream.parent.field} if stream.parent is not None and not stream.parent.in_item else set()
        wanted = {stream.source.get(column.name, column.name) for column in stream.columns} - added
        assert wanted <= fields, (name, wanted - fields)


@pytest.mark.parametrize("name", [name for name, s in ENTITY_STREAMS.items() if s.by_identifier is not None])
def test_the_akeneo_6_route_of_a_stream_is_served_by_an_akeneo_6(sandbox_factory: Factory, name: str) -> None:
    stream = ENTITY_STREAMS[name]
    assert stream.by_identifier is not None
    server = sandbox_factory(products=20, akeneo_version=6)
    api = SandboxAPI(server)
    try:
        assert api.get(stream.path).status_code == 404  # Akeneo 6 has no uuid route
        response = api.get(stream.by_identifier.path, pagination_type="search_after")
        assert response.status_code == 200, response.text
        items = response.json()["_embedded"]["items"]
        assert items and all(isinstance(i.get(stream.by_identifier.field), str) for i in items)
    finally:
        api.close()
