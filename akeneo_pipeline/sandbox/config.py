"""Every knob of the sandbox in one dataclass, so tests, the CLI and the admin API
agree on names and defaults.

Catalog knobs (`products`, `seed`, `anchor`, `history_days`, `timezone`, `fold`, and the
edition's `edition`, `reference_entity_records`, `assets_per_family`) are read once when the
catalog is built; the behaviour knobs (limits, latency, faults, token
lifetime, the Akeneo version played and how its answers are shaped) can be changed on a
running server with `SandboxServer.configure(**changes)`: `akeneo_version=7` on a server
started at 6 serves the same catalog as an upgraded PIM would.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FAULT_KINDS = ("500", "502", "503", "drop", "truncate", "malformed")
AKENEO_VERSIONS = (6, 7)
ROUTE_LIST_STATUSES = (200, 403, 404)
# How REST API errors are written: Akeneo's own JSON, or what a proxy in front may send instead.
ERROR_BODIES = ("akeneo", "html", "error", "text", "empty", "echo")
# The Akeneo edition played (sandbox/enterprise/editions.py says what each serves, and why).
EDITIONS = ("community", "growth", "enterprise", "serenity")

# Fields that only matter when the catalog is generated: changing them later would
# silently do nothing, so `configure` refuses them.
CATALOG_FIELDS = frozenset({"products", "seed", "anchor", "history_days", "timezone", "fold", "edition",
                            "reference_entity_records", "assets_per_family", "extra_select_attributes",
                            "options_per_extra_attribute"})


@dataclass
class SandboxConfig:
    # catalog
    products: int = 300
    seed: int = 1
    anchor: int | None = None  # epoch seconds that generated `updated` times lead up to; None = today 00:00 UTC
    history_days: int = 180
    # The server's time zone (php.ini date.timezone; UTC on SaaS): stamps carry its offset and
    # product / product model filter dates are read in it (filters.py, products.iso).
    timezone: str = "UTC"
    # How a filter date naming a local time twice (a fall-back) or never (a spring-forward gap)
    # is read, as Python's `fold` (PEP 495): 0 = PHP's reading (the first of a repeated hour; a
    # skipped time pushed forward), 1 = the other one, so tests can prove a client safe either way.
    fold: int = 0
    # The edition: "community" (CE: no reference entities, assets or table attributes; the default, which
    # every existing client test was written against), "growth" (SaaS Growth Edition: table attributes),
    # "enterprise" (EE on-premise or PaaS: reference entities, Asset Manager, table attributes) or
    # "serenity" (EE on SaaS: the same, with SaaS-only value fields). See sandbox/enterprise/editions.py.
    edition: str = "community"
    reference_entity_records: int = 120  # records per reference entity (Enterprise editions)
    assets_per_family: int = 120  # assets per asset family (Enterprise editions)
    # A large catalog's picklists: this many more simple select attributes (no family uses them), each
    # with `options_per_extra_attribute` options. 200 x 100 is the 20,000 options a big PIM has.
    extra_select_attributes: int = 0
    options_per_extra_attribute: int = 100
    # API connection credentials
    client_id: str = "sandbox_client"
    client_secret: str = "sandbox_secret"
    username: str = "sandbox_api_user"
    password: str = "sandbox_password"
    token_lifetime: float = 3600.0
    refresh_token_lifetime: float = 1_209_600.0
    # Akeneo App (authorization code flow)
    app_client_id: str = "sandbox_app"
    app_client_secret: str = "sandbox_app_secret"
    app_callback_url: str = "http://127.0.0.1/oauth/callback"
    app_deny: bool = False
    app_code_lifetime: float = 30.0
    app_granted_scopes: str | None = None  # None = grant the scopes asked for
    # limits
    concurrency_limit: int | None = 4  # per access token (Akeneo: 4 per connection)
    instance_concurrency_limit: int | None = None  # all tokens together (Akeneo: 10 per PIM)
    retry_after: bool = True
    rps_limit: float | None = None
    # latency and faults (REST API only)
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = field(default=FAULT_KINDS)
    fault_on_nth: int | None = None
    fault_seed: int = 0
    # the Akeneo being played, and what its answers leave out or reshape (sandbox/reshape.py)
    akeneo_version: int = 7  # 6: no /products-uuid routes; products at /products, keyed by identifier
    route_list_status: int = 200  # GET /api/rest/v1: 200 lists the routes, 403/404 refuse to
    omit_items_count: bool = False  # pages leave items_count out even when with_count=true is asked
    measurement_families_paged: bool = False  # /measurement-families as a page, not a plain array
    relative_links: bool = False  # `_links` hrefs as paths (/api/rest/v1/...), not absolute URLs
    omit_null_fields: bool = False  # items leave their null fields out (parent, family, ...)
    error_body: str = "akeneo"  # one of ERROR_BODIES
    # The base URL clients reach the sandbox at, when it is not its own socket (a proxy in front,
    # as bench/latency_proxy.py is): absolute `_links` hrefs name it, so a client following
    # `_links.next` keeps going through the proxy. None = the sandbox's own http://host:port.
    public_url: str | None = None
    # Keep each listed product's JSON bytes for later pages (item_bytes.py): the same answers,
    # less CPU a page, so a benchmark measures its client rather than this one process.
    item_byte_cache: bool = False

    def __post_init__(self) -> None:
        self.fault_kinds = tuple(self.fault_kinds)
        self.validate()

    def validate(self) -> None:
        """Reject impossible values with the field's name, instead of odd behaviour later."""
        if not 1 <= self.products <= 5_000_000:
            raise ValueError(f"products must be between 1 and 5,000,000, got {self.products}")
        if self.history_days < 1:
            raise ValueError(f"history_days must be at least 1, got {self.history_days}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone must be an IANA time zone such as UTC or America/New_York, "
                             f"got {self.timezone!r}") from None
        if self.fold not in (0, 1):
            raise ValueError(f"fold must be 0 (PHP's reading) or 1, got {self.fold}")
        if self.token_lifetime <= 0 or self.refresh_token_lifetime <= 0:
            raise ValueError("token_lifetime and refresh_token_lifetime must be positive")
        if self.concurrency_limit is not None and self.concurrency_limit < 1:
            raise ValueError(f"concurrency_limit must be None or >= 1, got {self.concurrency_limit}")
        if self.instance_concurrency_limit is not None and self.instance_concurrency_limit < 1:
            raise ValueError(f"instance_concurrency_limit must be None or >= 1, got {self.instance_concurrency_limit}")
        if self.rps_limit is not None and self.rps_limit <= 0:
            raise ValueError(f"rps_limit must be None or > 0, got {self.rps_limit}")
        if self.latency_ms < 0 or self.latency_jitter_ms < 0:
            raise ValueError("latency_ms and latency_jitter_ms must be >= 0")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1, got {self.fault_rate}")
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown or not self.fault_kinds:
            raise ValueError(f"fault_kinds must be a non-empty subset of {FAULT_KINDS}, got {self.fault_kinds}")
        if self.fault_on_nth is not None and self.fault_on_nth < 1:
            raise ValueError(f"fault_on_nth must be None or >= 1, got {self.fault_on_nth}")
        if self.akeneo_version not in AKENEO_VERSIONS:
            raise ValueError(f"akeneo_version must be one of {AKENEO_VERSIONS}, got {self.akeneo_version}")
        if self.route_list_status not in ROUTE_LIST_STATUSES:
            raise ValueError(f"route_list_status must be one of {ROUTE_LIST_STATUSES}, got {self.route_list_status}")
        if self.edition not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}, got {self.edition!r}")
        if self.edition in ("growth", "serenity") and self.akeneo_version != 7:
            raise ValueError(f"edition {self.edition!r} is SaaS, which serves the latest API: "
                             "akeneo_version must be 7, "
                             f"got {self.akeneo_version}")
        if not 0 <= self.reference_entity_records <= 1_000_000:  # reference_entity_record_limit_per_reference_entity
            raise ValueError(f"reference_entity_records must be between 0 and 1,000,000, got "
                             f"{self.reference_entity_records}")
        if not 0 <= self.assets_per_family <= 1_000_000:  # asset_manager_asset_limit_per_asset_family
            raise ValueError(f"assets_per_family must be between 0 and 1,000,000, got {self.assets_per_family}")
        if not 0 <= self.extra_select_attributes <= 10_000:
            raise ValueError(f"extra_select_attributes must be between 0 and 10,000, got "
                             f"{self.extra_select_attributes}")
        if not 0 <= self.options_per_extra_attribute <= 10_000:
            raise ValueError(f"options_per_extra_attribute must be between 0 and 10,000, got "
                             f"{self.options_per_extra_attribute}")
        if self.error_body not in ERROR_BODIES:
            raise ValueError(f"error_body must be one of {ERROR_BODIES}, got {self.error_body!r}")

    def with_changes(self, **changes: object) -> SandboxConfig:
        """A validated copy with `changes` applied; catalog fields cannot change at run time."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown sandbox setting(s): {', '.join(sorted(unknown))}")
        frozen = set(changes) & CATALOG_FIELDS
        if frozen:
            raise ValueError(f"{', '.join(sorted(frozen))} only apply when the catalog is built; start a new sandbox")
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
