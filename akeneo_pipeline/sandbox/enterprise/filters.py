"""The `search` parameter of the record and asset lists: `updated` and `code`.

rest-api_filter.md, "Filter reference entity records" and "Filter assets":
- `updated` dates are ISO 8601, "either of these format _2021-05-17T15:19:32Z_, or
  _2021-05-17T15:19:32+00:00_", not the products' `YYYY-MM-DD hh:mm:ss`. Akeneo validates them as a
  JSON-schema `date-time` (pim-community-dev, src/Akeneo/AssetManager/back/Infrastructure/Connector/Api/
  Asset/JsonSchema/SearchFiltersValidator.php: `'format' => 'date-time'`), which RFC 3339 gives a
  mandatory offset: a date without one is refused with 422 here;
- records: `>` on every version (3.x to 7.0), `<`, `BETWEEN`, `NOT BETWEEN`, `SINCE LAST N DAYS` from 7.0
  and SaaS; assets: `>` from 3.2, the others from 6.0; `code` `IN` on both from 7.0 and SaaS;
- several conditions on `updated` are ANDed ("You can also combine operators"); `>` and `<` are strict,
  `BETWEEN` inclusive, as for products (sandbox/filters.py);
- the filter keys are `updated` and `code` as lists of conditions, and `complete` as one object; the
  validator refuses any other key (`'additionalProperties' => false`) with 422 "The search filters have
  an invalid format.". Completeness and SaaS attribute-value filters are not modelled: they answer 422
  saying so.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from akeneo_pipeline.sandbox.errors import ApiError
from akeneo_pipeline.sandbox.filters import INF, Intervals, intersect

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
INVALID = "The search filters have an invalid format."
LATER_OPERATORS = ("<", "BETWEEN", "NOT BETWEEN", "SINCE LAST N DAYS")


def invalid(prop: str, message: str) -> ApiError:
    return ApiError(422, INVALID, errors=[{"property": prop, "message": message}])


def instant(value: Any) -> int:
    if not isinstance(value, str) or not ISO_WITH_OFFSET.match(value):
        raise invalid("updated", f'"{value}" is not a valid ISO 8601 date-time with an offset '
                                 "(2021-05-17T15:19:32Z or 2021-05-17T15:19:32+00:00)")
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        raise invalid("updated", f'"{value}" is not a valid date-time') from None


def parse(raw: str | None, kind: str, version: int, now: int) -> tuple[Intervals | None, set[str] | None]:
    """(`updated` intervals, `code IN` set) of a record (`kind="record"`) or asset search."""
    if raw is None or raw == "":
        return None, None
    try:
        search = json.loads(raw)
    except ValueError:
        raise ApiError(400, "The search query parameter must be a valid JSON.") from None  # GetConnectorRecordsAction
    if not isinstance(search, dict):
        raise ApiError(400, "The search query parameter must be a valid JSON.")
    updated: Intervals | None = None
    codes: set[str] | None = None
    for prop, conditions in search.items():
        if prop == "complete":
            raise ApiError(422, "The sandbox does not model completeness: the `complete` filter is not supported.")
        if prop not in ("updated", "code"):
            raise invalid(prop, f'The property "{prop}" is not allowed (the sandbox filters on updated and code).')
        if not isinstance(conditions, list) or not conditions or not all(
                isinstance(c, dict) and "operator" in c and "value" in c for c in conditions):
            raise invalid(prop, f'"{prop}" must be a list of {{"operator", "value"}} conditions.')
        for cond in conditions:
            op, value = cond["operator"], cond["value"]
            if prop == "code":
                if version < 7 or op != "IN":
                    raise invalid("code", f'Operator "{op}" is not supported on "code" (IN, from 7.0).')
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise invalid("code", "The value of the IN operator must be a list of codes.")
                codes = set(value) if codes is None else codes & set(value)
                continue
            updated = intersect(updated if updated is not None else [(-INF, INF)],
                                span(op, value, kind, version, now))
    return updated, codes


def span(op: str, value: Any, kind: str, version: int, now: int) -> Intervals:
    """One `updated` condition as closed epoch-second intervals."""
    allowed = (">",) + (LATER_OPERATORS if version >= (7 if kind == "record" else 6) else ())
    if op not in allowed:
        raise invalid("updated", f'Operator "{op}" is not supported on "updated" (allowed: {", ".join(allowed)}).')
    if op == ">":
        return [(instant(value) + 1, INF)]
    if op == "<":
        return [(-INF, instant(value) - 1)]
    if op in ("BETWEEN", "NOT BETWEEN"):
        if not isinstance(value, list) or len(value) != 2:
            raise invalid("updated", f"{op} takes a list of two date-times.")
        lo, hi = instant(value[0]), instant(value[1])
        return [(lo, hi)] if op == "BETWEEN" else [(-INF, lo - 1), (hi + 1, INF)]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid("updated", "SINCE LAST N DAYS takes a non-negative integer.")
    return [(now - value * 86400, INF)]
