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
from akeneo_pipeline.streams import (
    CATALOG_STREAMS,
    EDITION_STREAMS,
    ENTITY_STREAMS,
    RECORD_STREAMS,
    STREAMS,
    Read,
    Stream,
)
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI

Factory = Callable[..., SandboxServer]


def served_path(server: SandboxServer, stream: Stream) -> str:
    if stream.parent is None:
        return stream.path
    parent = CATALOG_STREAMS[stream.parent.stream]
    codes = [item["code"] for item in server.catalog.items(parent.name)
             if not stream.parent.types or item.get("type") in stream.parent.types]
    return stream.path.replace("{parent}", codes[0])


@pytest.mark.parametrize("name", sorted({**CATALOG_STREAMS, **ENTITY_STREAMS}))
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


EDITION_ONLY = {**EDITION_STREAMS, **RECORD_STREAMS}


def edition_items(api: SandboxAPI, stream: Stream) -> list[dict]:
    """The items an Enterprise sandbox serves for `stream`, under the first parent (of the declared types) at
    each level, stamped with the parent fields as the client stamps them."""
    if stream.nested is not None:
        outer = STREAMS[stream.nested.stream]
        items, _ = api.walk(outer.path, **dict(stream.params))
        found = [i for i in items if i.get("type") in stream.nested.types]
        assert found, stream.name
        nested = found[0][stream.nested.fields[0]]
        if len(stream.nested.fields) > 1:
            nested = next(c[stream.nested.fields[1]] for c in nested if c.get(stream.nested.fields[1]))
        return list(nested)
    path, stamps = stream.path, {}
    if stream.parent is not None:
        parent = STREAMS[stream.parent.stream]
        candidates = [i for i in edition_items(api, parent)
                      if not stream.parent.types or i.get("type") in stream.parent.types]
        chosen = candidates[0]
        key = [str(chosen[parent.source.get(c, c)]) for c in parent.key]
        for field, code in zip(stream.parent.fields, key, strict=True):
            path = path.replace("{parent}", code, 1)
            stamps[field] = code
    if stream.read is Read.PER_PARENT_ARRAY:
        response = api.get(path)
        assert response.status_code == 200, response.text
        body = response.json()
        assert isinstance(body, list), stream.name
        items = body
    else:
        items, _ = api.walk(path, **dict(stream.params))
    return [{**stamps, **item} for item in items]


@pytest.mark.parametrize("name", sorted(EDITION_ONLY))
def test_every_edition_stream_is_served_as_declared_by_an_enterprise_sandbox(sandbox_factory: Factory,
                                                                             name: str) -> None:
    stream = STREAMS[name]
    api = SandboxAPI(sandbox_factory(products=20, edition="enterprise", reference_entity_records=10,
                                     assets_per_family=10))
    try:
        items = edition_items(api, stream)
        assert items, name
        key_fields = [field for field in stream.item_key
                      if stream.nested is None or field not in stream.nested.parents]
        assert all(isinstance(item.get(field), str) for item in items for field in key_fields), (name, items[0])
        fields = {field for item in items for field in item}
        added = set(stream.nested.parents) | {stream.nested.position} if stream.nested is not None else set()
        wanted = {stream.source.get(column.name, column.name) for column in stream.columns} - added
        # Columns a type may leave out (media_type: media attributes only) are not asked of every item.
        assert wanted - {"media_type"} <= fields, (name, wanted - fields)
    finally:
        api.close()


@pytest.mark.parametrize("name", sorted(n for n, s in EDITION_ONLY.items() if s.edition_only))
def test_a_community_sandbox_lists_none_of_the_edition_only_routes(sandbox_api: SandboxAPI, name: str) -> None:
    routes = sandbox_api.get("/api/rest/v1").json()["routes"]
    shape = STREAMS[name].path.split("{")[0].rstrip("/")
    assert not [r for r in routes.values() if r["route"].startswith(shape)]
