"""The request side of the App catalog endpoints (app_catalog_routes.py): reading query
parameters as PHP does, the Symfony constraints of pim-community-dev's
components/catalogs/back/src/ServiceAPI/Query/*.php (UUIDs, limits, ISO dates) and their 422
(normalized by ViolationNormalizer), and JSON bodies.

`updated_after` / `updated_before` must be ISO 8601 with an offset (`Assert\\DateTime(ATOM)`,
"ISO 8601 format is required."), although the Swagger types them `format: date`. Both are
converted to UTC (parseUpdatedParameters) and become PQB `updated` filters: `after` alone is
`>` (strict), `before` alone `<` (strict), both together `BETWEEN`, inclusive at both ends
(Elasticsearch/Filter/Field/DateTimeFilter.php: gt / lt / gte+lte). An empty value passes
validation and then filters nothing; with both given and one empty, neither filters.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.filters import INF, Intervals

# Symfony's Assert\Uuid (strict): canonical hyphenated form, RFC 4122 versions 1-8 and variant.
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE)
NOT_UUID = "This is not a valid UUID."
# Y-m-d\TH:i:sP, the zone as PHP's zone parser reads it: +hh:mm, +hhmm, +hh, Z, UTC, GMT.
ATOM = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})"
                  r"(?:([+-])(\d{2})(?::?(\d{2}))?|(Z|UTC|GMT))$", re.IGNORECASE)
NOT_ATOM = "ISO 8601 format is required."
MAX_PRODUCT_LIMIT = 1000
MAX_CATALOG_LIMIT = 100  # GetCatalogsByOwnerUsernameQuery: #[Assert\Range(min: 1, max: 100)]


def violations(errors: list[dict[str, str]]) -> ApiError:
    return ApiError(422, "Validation failed.", errors=errors)


def json_body(raw: bytes) -> dict[str, Any]:
    """The JSON payload. Akeneo's controllers `json_decode(..., JSON_THROW_ON_ERROR)` without
    catching, an internal error; the sandbox answers Akeneo's usual 400 instead. A payload that is
    not an object reads as one without fields, as `$payload['name'] ?? ''` does."""
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        raise ApiError(400, "Invalid json message received") from None
    return body if isinstance(body, dict) else {}


def php_int(value: str | None, default: int) -> int:
    """`(int) $request->query->get(name, default)`: the leading integer of the text, else 0."""
    if value is None:
        return default
    m = re.match(r"\s*([+-]?\d+)", value)
    return int(m.group(1)) if m else 0


def query_value(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None  # PHP keeps the last of repeated keys


def atom_instant(value: str) -> int | None:
    """Epoch second of a `Y-m-d\\TH:i:sP` date, or None when PHP would refuse it (bad format, or
    a date or time out of range: "The parsed date was invalid")."""
    m = ATOM.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    sign, hh, mm, letters = m.group(7), m.group(8), m.group(9), m.group(10)
    offset = timedelta(0) if letters else timedelta(hours=int(hh), minutes=int(mm or 0)) * (1 if sign == "+" else -1)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    except ValueError:
        return None
    return int(moment.timestamp())


def page_request(query: dict[str, list[str]]) -> tuple[str | None, int, str | None, str | None, Intervals | None]:
    """(search_after, limit, updated_after, updated_before, window) of a product page, or the 422
    GetProductsQuery / GetProductUuidsQuery validation gives (violations in property order)."""
    search_after = query_value(query, "search_after")
    after, before = query_value(query, "updated_after"), query_value(query, "updated_before")
    limit = php_int(query_value(query, "limit"), 100)
    errors = []
    if search_after and not UUID.match(search_after):  # Symfony skips '' and null
        errors.append({"property": "search_after", "message": NOT_UUID})
    if not 1 <= limit <= MAX_PRODUCT_LIMIT:
        errors.append({"property": "limit", "message": f"This value should be between 1 and {MAX_PRODUCT_LIMIT}."})
    a = atom_instant(after) if after else None
    b = atom_instant(before) if before else None
    if after and a is None:
        errors.append({"property": "updated_after", "message": NOT_ATOM})
    if before and b is None:
        errors.append({"property": "updated_before", "message": NOT_ATOM})
    if errors:
        raise violations(errors)
    window: Intervals | None = None
    if after is not None and before is not None:
        window = [(a, b)] if a is not None and b is not None else None  # BETWEEN: gte / lte
    elif a is not None:
        window = [(a + 1, INF)]  # >: gt
    elif b is not None:
        window = [(-INF, b - 1)]  # <: lt
    return search_after, limit, after, before, window

