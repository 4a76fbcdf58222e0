"""`AkeneoClient`: the one object the rest of the pipeline talks to.

A synchronous facade over a thread-safe transport: callers iterate pages, and the
concurrency (windows, per-attribute option lists) happens behind the iterator under
one semaphore sized `max_concurrency`, Akeneo's per-connection limit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from akeneo_pipeline.akeneo.app_catalog import CATALOG_READ_SCOPES, AppCatalogInfo
from akeneo_pipeline.akeneo.app_catalog_reader import CatalogProductReader
from akeneo_pipeline.akeneo.catalog import CatalogReader
from akeneo_pipeline.akeneo.counters import RunCounters
from akeneo_pipeline.akeneo.entities import EntityReader, Route
from akeneo_pipeline.akeneo.errors import AkeneoAuthError, MalformedResponseError
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.lookups import get_many, item_path
from akeneo_pipeline.akeneo.retry import Backoff
from akeneo_pipeline.akeneo.routes import RouteDiscovery
from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES, missing_scopes
from akeneo_pipeline.akeneo.windows import Window, range_window
from akeneo_pipeline.settings import AkeneoSettings
from akeneo_pipeline.streams import (
    API,
    CATALOG_STREAMS,
    REFERENCE_ENTITY_RECORDS,
    STREAMS,
    EntityStream,
    RecordStream,
    Stream,
    catalog_stream,
    entity_stream,
    record_stream,
)

log = logging.getLogger("akeneo_pipeline.akeneo")

CLOCK_PATH = f"{API}/currencies"


@dataclass(frozen=True)
class IncrementalPlan:
    """Read `updated > updated_after`; afterwards store `next_watermark`.

    The next watermark comes from the server's clock at the start of the run, minus
    a safety overlap, never from the newest `updated` seen: an item saved during the
    run may carry a stamp older than items already read, and would be skipped.
    """

    updated_after: datetime | None
    run_started: datetime
    next_watermark: datetime


class AkeneoClient:
    def __init__(self, settings: AkeneoSettings, *, backoff: Backoff | None = None) -> None:
        if settings.uses_app_token and settings.app_scopes is not None:
            needed = REQUIRED_SCOPES + (CATALOG_READ_SCOPES if settings.catalog_mode else ())
            missing = missing_scopes(settings.app_scopes, needed)
            if missing:  # refuse before the first request, not halfway through an extraction
                raise AkeneoAuthError(
                    "the Akeneo App token lacks these scopes the pipeline needs: " + ", ".join(missing)
                    + " (AKENEO_APP_SCOPES); run `akeneo-pipeline connect-app` again and approve them"
                )
        self.settings = settings
        self.counters = RunCounters()
        self._transport = Transport(settings, self.counters, backoff)
        self._catalog = CatalogReader(self._transport)
        self._entities = EntityReader(self._transport)
        self.routes = RouteDiscovery(self._transport)
        # Catalog mode (AKENEO_CATALOG_ID): products come from the App catalog's selection.
        self._app_catalog = (CatalogProductReader(self._transport, settings.catalog_id, self._entities.stamps)
                             if settings.catalog_id is not None else None)

    def __enter__(self) -> AkeneoClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def __repr__(self) -> str:
        return f"AkeneoClient(base_url={self.settings.base_url!r})"

    @contextmanager
    def metered(self) -> Iterator[RunCounters]:
        """Counters of the calls made while the block runs (a step's own cost, on a shared client)."""
        with self.counters.tap() as counters:
            yield counters

    # -- time -----------------------------------------------------------------

    def server_time(self) -> datetime:
        """Akeneo's clock (its `Date` header, whole seconds, UTC) from a cheap authenticated call."""
        response = self._transport.get(CLOCK_PATH, endpoint="server_time", params={"limit": 1})
        raw = response.headers.get("Date")
        try:
            moment = parsedate_to_datetime(raw) if raw else None
        except (TypeError, ValueError):
            moment = None
        if moment is None:
            raise MalformedResponseError(f"no usable Date header ({raw!r}) to read the server clock from",
                                         path=CLOCK_PATH, status=response.status_code)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def plan_watermark(self, previous: datetime | None) -> IncrementalPlan:
        run_started = self.server_time()
        overlap = timedelta(seconds=self.settings.updated_overlap_seconds)
        return IncrementalPlan(updated_after=previous, run_started=run_started, next_watermark=run_started - overlap)

    # -- catalog structure ----------------------------------------------------

    def iter_stream(self, stream: str | Stream) -> Iterator[list[dict[str, Any]]]:
        """Every item of a catalog stream, page by page (a per-parent stream reads its parents first)."""
        return self._catalog.iter_stream(catalog_stream(stream) if isinstance(stream, str) else stream)

    def iter_children(self, stream: str | Stream,
                      parent_codes: Iterable[str | tuple[str, ...]]) -> Iterator[list[dict[str, Any]]]:
        """The items of a per-parent stream (attribute options, family variants) of the given parents (a key of
        several codes for a path with several `{parent}`s: reference entity attribute options)."""
        return self._catalog.iter_children(catalog_stream(stream) if isinstance(stream, str) else stream,
                                           list(parent_codes))

    def offers(self, stream: str | Stream) -> bool:
        """Whether this Akeneo serves the stream: an edition-only stream (reference entities, the Asset
        Manager) is asked of the route list (routes.py); every other stream is served by every edition."""
        declared = stream if isinstance(stream, Stream) else STREAMS[stream]
        return not declared.edition_only or self.routes.offers(declared.path)

    def skip_reason(self, stream: str | Stream) -> str | None:
        """Why this Akeneo's stream cannot be read, or None: an edition-only stream whose path the route list
        lacks (Community Edition), or one whose App scope the token was not granted (AKENEO_APP_SCOPES)."""
        declared = stream if isinstance(stream, Stream) else STREAMS[stream]
        if not declared.edition_only:
            return None
        if not self.routes.offers(declared.path):
            return (f"skipped: this Akeneo does not serve GET {declared.path} (its route list has no such route; "
                    "Community Edition has no reference entities or Asset Manager)")
        granted = self.settings.app_scopes if self.settings.uses_app_token else None
        if declared.scope and granted is not None and missing_scopes(granted, [declared.scope]):
            return (f"skipped: the Akeneo App token lacks the scope {declared.scope} (AKENEO_APP_SCOPES); "
                    f"grant the App that scope in Akeneo to read {declared.name.replace('_', ' ')}")
        return None

    def iter_records(self, stream: str | RecordStream, parent_codes: Iterable[str],
                     updated_after: dict[tuple[str, ...], datetime] | None = None) -> Iterator[list[dict[str, Any]]]:
        """Reference entity records or assets of the given parents (entities, families), side by side; a
        parent in `updated_after` is read from that instant on (`updated >`, ISO 8601), the others whole."""
        return self._catalog.iter_children(record_stream(stream), list(parent_codes), updated_after)

    def get_records(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any] | None]:
        """Each (reference entity code, record code) (`GET /reference-entities/{code}/records/{code}`),
        None where Akeneo answers 404: whether a record missing from a read is really gone."""
        keys = list(dict.fromkeys(keys))
        stream = REFERENCE_ENTITY_RECORDS
        paths = [item_path(stream, code, parent_code=entity) for entity, code in keys]
        return dict(zip(keys, get_many(self._transport, paths, endpoint=stream.name), strict=True))

    def get_attributes(self, codes: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Each attribute by code (`GET /attributes/{code}`), None where Akeneo answers 404: whether
        an attribute missing from an offset-paged list read is really gone (lookups.py)."""
        codes = list(dict.fromkeys(codes))
        stream = CATALOG_STREAMS["attributes"]
        items = get_many(self._transport, [item_path(stream, c) for c in codes], endpoint=stream.name)
        return dict(zip(codes, items, strict=True))

    def get_attribute_options(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        """Each (attribute code, option code) (`GET /attributes/{attribute_code}/options/{code}`),
        None where Akeneo answers 404."""
        keys = list(dict.fromkeys(keys))
        stream = CATALOG_STREAMS["attribute_options"]
        paths = [item_path(stream, code, parent_code=attribute) for attribute, code in keys]
        return dict(zip(keys, get_many(self._transport, paths, endpoint=stream.name), strict=True))

    # -- the App catalog ------------------------------------------------------

    @property
    def catalog_mode(self) -> bool:
        """Whether products are read through the App catalog AKENEO_CATALOG_ID."""
        return self._app_catalog is not None

    def app_catalog(self, require_enabled: bool = False) -> AppCatalogInfo | None:
        """The App catalog's id, name and state (`GET /catalogs/{id}`), None outside catalog mode;
        `require_enabled` raises AppCatalogError for a disabled one, before anything is read."""
        if self._app_catalog is None:
            return None
        return self._app_catalog.require_enabled() if require_enabled else self._app_catalog.info()

    def _through_catalog(self, kind: EntityStream) -> CatalogProductReader | None:
        return self._app_catalog if kind.name == "products" else None

    # -- products and product models ------------------------------------------

    def key_field(self, kind: str | EntityStream) -> str:
        """The item field this server keys a stream's items by: "uuid" for products on Akeneo 7.0
        and SaaS (`/products-uuid`), "identifier" on Akeneo 6 (`/products` only), "code" for
        product models. Asked of the route list once. An App catalog keys products by uuid."""
        stream = entity_stream(kind)
        if self._through_catalog(stream) is not None:
            return stream.item_key[0]
        return self._route(stream).key

    def _route(self, kind: EntityStream) -> Route:
        if kind.by_identifier is not None and not self.routes.offers(kind.path):
            return Route(kind.name, kind.by_identifier.path, kind.by_identifier.field)
        return Route(kind.name, kind.path, kind.item_key[0])

    def iter_entities(
        self, kind: str | EntityStream, updated_after: datetime | None = None, updated_before: datetime | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Products or product models updated in (updated_after, updated_before), as the server lists
        them (products: uuid items, or on Akeneo 6 identifier items; see `key_field`)."""
        # A generator: the route list is asked for when the first page is, not when the iterator is made.
        stream = entity_stream(kind)
        catalog = self._through_catalog(stream)
        if catalog is not None:
            yield from catalog.read(range_window(updated_after, updated_before), self._latest_second)
            return
        route = self._route(stream)
        yield from self._entities.read(route, range_window(updated_after, updated_before), self._latest_second)

    def scan_keys(self, kind: str | EntityStream) -> Iterator[list[str]]:
        """Every item's key (see `key_field`), pages shrunk to the identifier value, for deletion detection.
        In catalog mode, products are the selection's uuids (`/catalogs/{id}/product-uuids`): a
        product that left the selection is missing like a deleted one."""
        stream = entity_stream(kind)
        catalog = self._through_catalog(stream)
        if catalog is not None:
            yield from catalog.scan_uuids()
            return
        route = self._route(stream)
        identifier = self._catalog.identifier_attribute()
        extra = {"attributes": identifier} if identifier else None
        for page in self._entities.read(route, Window(), self._latest_second, extra):
            yield [item[route.key] for item in page]

    def has_changes(self, kind: str | EntityStream, since: datetime, before: datetime | None = None) -> bool:
        """Whether anything in the stream was updated after `since` (and before `before`: a poller
        passes the server's clock so it only judges whole seconds that are over, and cannot miss a
        save later in the same second)."""
        stream = entity_stream(kind)
        catalog = self._through_catalog(stream)
        if catalog is not None:
            return catalog.any_updated(range_window(since, before))
        return self._entities.any_updated(self._route(entity_stream(kind)), range_window(since, before))

    def _latest_second(self) -> int:
        return int(self.server_time().timestamp())
