"""What this Akeneo serves, learnt once per client (one client per run): its route list.

`GET /api/rest/v1` lists every API route (the Swagger file: "Get list of all endpoints",
no token needed, versions 1.7 to 7.0). pim-community-dev's RootEndpointController
(src/Akeneo/Tool/Bundle/ApiBundle/Controller/RootEndpointController.php) answers
`{"host", "authentication": {name: {route, methods}}, "routes": {name: {"route":
"/api/rest/v1/...", "methods": ["GET"]}}}`, names being Symfony route names
(`pim_api_product_uuid_list`); `methods` is Symfony's `getMethods()`, empty for a
route open to every method. Routes are matched here by path, never by name, with
placeholders (`{code}`, `{attribute_code}`) made equal.

Which routes a PIM has depends on its version and edition: `/products-uuid` exists
from 7.0 (Swagger `x-versions: ["7.0"]`; Akeneo 6 lists products at `/products`,
keyed by identifier); Community Edition has no reference entities or assets. Readers
ask `offers(path)` before reading a stream.

A server that does not answer the list (a proxy answering 403 or 404, or a page
that is not the documented object) does not fail the run: a warning, then each
path asked about is probed once with a one-item GET (200: present; 404: absent).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from akeneo_pipeline.akeneo.errors import AkeneoHTTPError, MalformedResponseError
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.paging import decode_json
from akeneo_pipeline.streams import API

log = logging.getLogger("akeneo_pipeline.akeneo")

ROOT_PATH = API
_PLACEHOLDER = re.compile(r"\{[^}/]*\}")


def route_shape(path: str) -> str:
    """A route path with its placeholders made equal: `/attributes/{}/options`."""
    return _PLACEHOLDER.sub("{}", path.rstrip("/"))


@dataclass(frozen=True)
class RouteList:
    """The (method, path shape) pairs a server listed; an empty method set means any method."""

    routes: frozenset[tuple[str, str]]

    @classmethod
    def parse(cls, body: Any) -> RouteList | None:
        """The root endpoint's answer, or None if it is not the documented object."""
        if not isinstance(body, dict) or not isinstance(body.get("routes"), dict):
            return None
        pairs: set[tuple[str, str]] = set()
        for route in body["routes"].values():
            if not isinstance(route, dict) or not isinstance(route.get("route"), str):
                continue
            methods = route.get("methods")
            names: Iterable[str] = methods if isinstance(methods, list) and methods else ["*"]
            pairs.update((str(m).upper(), route_shape(route["route"])) for m in names)
        return cls(frozenset(pairs))

    def offers(self, path: str, method: str = "GET") -> bool:
        shape = route_shape(path)
        return (method.upper(), shape) in self.routes or ("*", shape) in self.routes


class RouteDiscovery:
    """Thread-safe and lazy: the first question fetches the list, later ones reuse it."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self._lock = threading.Lock()
        self._loaded = False
        self._list: RouteList | None = None
        self._probed: dict[str, bool] = {}

    def route_list(self) -> RouteList | None:
        """The server's route list, or None when it did not give one (then `offers` probes)."""
        with self._lock:
            if not self._loaded:
                self._list = self._fetch()
                self._loaded = True
            return self._list

    def offers(self, path: str, method: str = "GET") -> bool:
        """Whether the server serves `method path` (a path under /api/rest/v1, placeholders allowed)."""
        routes = self.route_list()
        if routes is not None:
            return routes.offers(path, method)
        if method.upper() != "GET" or _PLACEHOLDER.search(path):
            return True  # cannot be probed without side effects or a code: assume it is there
        with self._lock:
            if path not in self._probed:
                self._probed[path] = self._probe(path)
            return self._probed[path]

    def _fetch(self) -> RouteList | None:
        try:
            response = self.transport.get(ROOT_PATH, endpoint="routes")
            parsed = RouteList.parse(decode_json(response))
            why = "its answer is not the documented route list" if parsed is None else ""
        except AkeneoHTTPError as exc:
            if exc.status is None or not 400 <= exc.status < 500:
                raise
            parsed, why = None, f"it answered {exc.status}"
        except MalformedResponseError:
            parsed, why = None, "its answer is not JSON"
        if parsed is None:
            log.warning("Akeneo did not list its routes at GET %s (%s); probing each endpoint "
                        "the run needs instead (one request each)", ROOT_PATH, why)
        return parsed

    def _probe(self, path: str) -> bool:
        try:
            self.transport.get(path, endpoint="routes", params={"limit": 1})
        except AkeneoHTTPError as exc:
            if exc.status == 404:
                return False
            raise
        return True
