"""`AkeneoClient`: the one object the rest of the pipeline talks to.

A synchronous facade over a thread-safe transport: callers iterate pages, and the
concurrency (windows, per-attribute option lists) happens behind the iterator under
one semaphore sized `max_concurrency`, Akeneo's per-connection limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from akeneo_pipeline.akeneo.catalog import CatalogReader
from akeneo_pipeline.akeneo.counters import RunCounters
from akeneo_pipeline.akeneo.errors import AkeneoAuthError, MalformedResponseError
from akeneo_pipeline.akeneo.http import Transport
from akeneo_pipeline.akeneo.lookups import attribute_option_path, attribute_path, get_many
from akeneo_pipeline.akeneo.records import RecordReader
from akeneo_pipeline.akeneo.retry import Backoff
from akeneo_pipeline.akeneo.routes import RouteDiscovery
from akeneo_pipeline.akeneo.scopes import missing_scopes
from akeneo_pipeline.akeneo.streams import (
    API,
    PRODUCT_MODELS,
    PRODUCTS,
    PRODUCTS_BY_IDENTIFIER,
    Stream,
    record_stream,
)
from akeneo_pipeline.akeneo.windows import Window, range_window
from akeneo_pipeline.settings import AkeneoSettings

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
            missing = missing_scopes(settings.app_scopes)
            if missing:  # refuse before the first request, not halfway through an extraction
                raise AkeneoAuthError(
                    "the Akeneo App token lacks these scopes the pipeline needs: " + ", ".join(missing)
                    + " (AKENEO_APP_SCOPES); run `akeneo-pipeline connect-app` again and approve them"
                )
        self.settings = settings
        self.counters = RunCounters()
        self._transport = Transport(settings, self.counters, backoff)
        self._catalog = CatalogReader(self._transport)
        self._records = RecordReader(self._transport)
        self.routes = RouteDiscovery(self._transport)

    def __enter__(self) -> "AkeneoClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def __repr__(self) -> str:
        return f"AkeneoClient(base_url={self.settings.base_url!r})"

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
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)

    def plan_watermark(self, previous: datetime | None) -> IncrementalPlan:
        run_started = self.server_time()
        overlap = timedelta(seconds=self.settings.updated_overlap_seconds)
        return IncrementalPlan(updated_after=previous, run_started=run_started, next_watermark=run_started - overlap)

    # -- catalog structure ----------------------------------------------------

    def iter_stream(self, stream: str) -> Iterator[list[dict[str, Any]]]:
        return self._catalog.iter_stream(stream)

    def iter_attribute_options(self, attribute_codes: Iterable[str]) -> Iterator[list[dict[str, Any]]]:
        return self._catalog.iter_attribute_options(attribute_codes)

    def select_attribute_codes(self) -> list[str]:
        """Codes of the simple and multi select attributes (those with attribute options)."""
        return self._catalog.select_attribute_codes()

    def get_attributes(self, codes: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Each attribute by code (`GET /attributes/{code}`), None where Akeneo answers 404: whether
        an attribute missing from an offset-paged list read is really gone (lookups.py)."""
        codes = list(dict.fromkeys(codes))
        items = get_many(self._transport, [attribute_path(c) for c in codes], endpoint="attributes")
        return dict(zip(codes, items))

    def get_attribute_options(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        """Each (attribute code, option code) (`GET /attributes/{attribute_code}/options/{code}`),
        None where Akeneo answers 404."""
        keys = list(dict.fromkeys(keys))
        paths = [attribute_option_path(attribute, code) for attribute, code in keys]
        return dict(zip(keys, get_many(self._transport, paths, endpoint="attribute_options")))

    # -- products and product models ------------------------------------------

    def product_key(self) -> str:
        """What this server keys products by: "uuid" (Akeneo 7.0 and SaaS, `/products-uuid`)
        or "identifier" (Akeneo 6, `/products` only). Asked of the route list once."""
        return self._product_stream().key

    def _product_stream(self) -> Stream:
        return PRODUCTS if self.routes.offers(PRODUCTS.path) else PRODUCTS_BY_IDENTIFIER

    def iter_products(
        self, updated_after: datetime | None = None, updated_before: datetime | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Products as the server lists them: uuid items from `/products-uuid`, or on Akeneo 6
        identifier items from `/products` (see `product_key`)."""
        return self._lazy_read(self._product_stream, range_window(updated_after, updated_before))

    def _lazy_read(self, stream: Callable[[], Stream], window: Window) -> Iterator[list[dict[str, Any]]]:
        # A generator: the route list is asked for when the first page is, not when the iterator is made.
        yield from self._records.read(stream(), window, self._latest_second)

    def iter_product_models(
        self, updated_after: datetime | None = None, updated_before: datetime | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        return self._records.read(PRODUCT_MODELS, range_window(updated_after, updated_before), self._latest_second)

    def scan_product_keys(self) -> Iterator[list[str]]:
        """Every product's key (see `product_key`: uuids, or identifiers on Akeneo 6), pages
        shrunk to the identifier value, for deletion detection."""
        return self._scan(self._product_stream)

    def scan_product_model_codes(self) -> Iterator[list[str]]:
        return self._scan(lambda: PRODUCT_MODELS)

    def has_changes(self, stream: str, since: datetime, before: datetime | None = None) -> bool:
        """Whether anything in "products" or "product_models" was updated after `since`
        (and before `before`: a poller passes the server's clock so it only judges
        whole seconds that are over, and cannot miss a save later in the same second)."""
        chosen = self._product_stream() if stream == PRODUCTS.name else record_stream(stream)
        return self._records.any_updated(chosen, range_window(since, before))

    def _scan(self, stream: Callable[[], Stream]) -> Iterator[list[str]]:
        identifier = self._catalog.identifier_attribute()
        extra = {"attributes": identifier} if identifier else None
        chosen = stream()
        for page in self._records.read(chosen, Window(), self._latest_second, extra):
            yield [item[chosen.key] for item in page]

    def _latest_second(self) -> int:
        return int(self.server_time().timestamp())
