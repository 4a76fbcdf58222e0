"""The `search` query parameter: parsing, validation and compiled predicates.

Time conditions compile to a list of closed epoch-second intervals, so the
catalog can bisect its `updated`-sorted index instead of scanning. Semantics,
following the filter documentation: `=`/`!=` match (or exclude) the whole day
of the value, `<`/`>` compare to the second, `BETWEEN`/`NOT BETWEEN` are
inclusive, `SINCE LAST N DAYS` means `updated >= now - N * 86400`.

Product and product model dates (`YYYY-MM-DD hh:mm:ss`) are read in the server's time
zone, `ServerClock`: rest-api_filter.md, "dates are interpreted in the time zone of the
server that runs Akeneo (e.g. date.timezone setting in php.ini). For SaaS clients [...]
UTC"; pim-community-dev PR 8585 (PIM-7541) makes ApplyProductSearchQueryParametersToPQB
build them with `DateTime::createFromFormat('Y-m-d H:i:s', $value)`, the server's default
zone. `SINCE LAST N DAYS` is zone-free (DateTimeFilter: `new DateTime('N days ago', UTC)`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from akeneo_pipeline.sandbox.errors import ApiError

INF = 2**62
Intervals = list[tuple[int, int]]
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
TIME_OPERATORS = ("=", "!=", "<", ">", "BETWEEN", "NOT BETWEEN", "SINCE LAST N DAYS")


def parse_search(raw: str | None) -> dict[str, list[dict[str, Any]]]:
    if raw is None or raw == "":
        return {}
    try:
        search = json.loads(raw)
    except ValueError:
        raise ApiError(400, "Search query parameter should be valid JSON.") from None
    if not isinstance(search, dict):
        raise ApiError(422, "Search query parameter has to be an array.")
    for prop, conditions in search.items():
        if not isinstance(conditions, list) or not all(isinstance(c, dict) and "operator" in c for c in conditions):
            raise ApiError(422, f'Structure of filter "{prop}" should respect this structure: '
                                f'{{"{prop}":[{{"operator": "my_operator", "value": "my_value"}}]}}')
    return search


def unsupported(prop: str, operator: Any) -> ApiError:
    return ApiError(422, f'Filter on property "{prop}" is not supported or does not support operator "{operator}"')


@dataclass(frozen=True)
class ServerClock:
    """How the server reads a local date: in `zone`, a repeated or skipped local time taken
    with `fold` (PEP 495). fold=0 is PHP's reading, the DST offset during a fall-back's repeated
    hour and a skipped time pushed forward (wiki.php.net/rfc/datetime_and_daylight_saving_time)."""

    zone: tzinfo = UTC
    fold: int = 0

    def instant(self, wall: datetime) -> int:
        return int(wall.replace(tzinfo=self.zone, fold=self.fold).timestamp())


UTC_CLOCK = ServerClock()


def local_time(prop: str, value: Any) -> datetime:
    if not isinstance(value, str) or not DATETIME.match(value):
        raise ApiError(422, f'Property "{prop}" expects a string with the format "yyyy-mm-dd H:i:s" as data, '
                            f'"{value}" given.')
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ApiError(422, f'Property "{prop}" expects a valid date, "{value}" given.') from None


def epoch(prop: str, value: Any, clock: ServerClock = UTC_CLOCK) -> int:
    """The instant a filter date names, read in the server's time zone."""
    return clock.instant(local_time(prop, value))


def local_day(prop: str, value: Any, clock: ServerClock) -> tuple[int, int]:
    """The first and last second of the server's local day holding the date."""
    day = local_time(prop, value).replace(hour=0, minute=0, second=0)
    return clock.instant(day), clock.instant(day + timedelta(days=1)) - 1


def intersect(a: Intervals, b: Intervals) -> Intervals:
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if lo <= hi:
                out.append((lo, hi))
    return sorted(out)


def time_intervals(prop: str, conditions: list[dict[str, Any]], now: int, clock: ServerClock = UTC_CLOCK) -> Intervals:
    """AND of all conditions on one time property, as disjoint closed intervals."""
    result: Intervals = [(-INF, INF)]
    for cond in conditions:
        op, value = cond["operator"], cond.get("value")
        if op in ("BETWEEN", "NOT BETWEEN"):
            if not isinstance(value, list) or len(value) != 2:
                raise ApiError(422, f'Property "{prop}" expects an array with valid data, two dates as data.')
            lo, hi = epoch(prop, value[0], clock), epoch(prop, value[1], clock)
            span = [(lo, hi)] if op == "BETWEEN" else [(-INF, lo - 1), (hi + 1, INF)]
        elif op == "SINCE LAST N DAYS":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ApiError(422, f'Property "{prop}" expects an integer as data, "{value}" given.')
            span = [(now - value * 86400, INF)]
        elif op in ("=", "!="):
            first, last = local_day(prop, value, clock)
            span = [(first, last)] if op == "=" else [(-INF, first - 1), (last + 1, INF)]
        elif op == "<":
            span = [(-INF, epoch(prop, value, clock) - 1)]
        elif op == ">":
            span = [(epoch(prop, value, clock) + 1, INF)]
        else:
            raise unsupported(prop, op)
        result = intersect(result, span)
    return result


def in_intervals(ts: int, intervals: Intervals) -> bool:
    return any(lo <= ts <= hi for lo, hi in intervals)


def code_list(prop: str, value: Any) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(422, f'Property "{prop}" expects an array of strings as data.')
    return set(value)


@dataclass
class ProductFilter:
    """A compiled product or product model search; None means "no condition"."""

    updated: Intervals | None = None
    created: Intervals | None = None
    uuid_in: set[str] | None = None
    uuid_not_in: set[str] = field(default_factory=set)
    family_in: set[str | None] | None = None
    family_not_in: set[str | None] = field(default_factory=set)
    enabled: bool | None = None


def parse_item_filter(raw: str | None, now: int, models: bool = False, clock: ServerClock = UTC_CLOCK) -> ProductFilter:
    """Products support updated, created, uuid, family and enabled; models updated, created, family."""
    f = ProductFilter()
    for prop, conditions in parse_search(raw).items():
        if prop in ("updated", "created"):
            setattr(f, prop, time_intervals(prop, conditions, now, clock))
            continue
        for cond in conditions:
            op, value = cond["operator"], cond.get("value")
            if prop == "uuid" and not models and op in ("IN", "NOT IN"):
                codes = code_list(prop, value)
                if op == "IN":
                    f.uuid_in = codes if f.uuid_in is None else f.uuid_in & codes
                else:
                    f.uuid_not_in |= codes
            elif prop == "family" and op in ("IN", "NOT IN", "EMPTY", "NOT EMPTY"):
                families: set[str | None] = set(code_list(prop, value)) if op in ("IN", "NOT IN") else {None}
                if op in ("IN", "EMPTY"):
                    f.family_in = families if f.family_in is None else f.family_in & families
                else:
                    f.family_not_in |= families
            elif prop == "enabled" and not models and op in ("=", "!="):
                if not isinstance(value, bool):
                    raise ApiError(422, f'Property "enabled" expects a boolean as data, "{value}" given.')
                f.enabled = value if op == "=" else not value
            else:
                raise unsupported(prop, op)
    return f


def parse_structure_filter(raw: str | None, clock: ServerClock = UTC_CLOCK) -> tuple[int | None, set[str] | None]:
    """Attributes, attribute groups, families, categories: `updated >` ISO 8601 and `code IN`. A value
    without an offset is read in the server's time zone (rest-api_filter.md, attributes: "dates are
    interpreted in the time zone of the server")."""
    after: int | None = None
    codes: set[str] | None = None
    for prop, conditions in parse_search(raw).items():
        for cond in conditions:
            op, value = cond["operator"], cond.get("value")
            if prop == "updated" and op == ">":
                try:
                    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
                except ValueError:
                    raise ApiError(422, f'Property "updated" expects a datetime in ISO 8601 format, '
                                        f'"{value}" given.') from None
                stamp = clock.instant(moment) if moment.tzinfo is None else int(moment.timestamp())
                after = stamp if after is None else max(after, stamp)
            elif prop == "code" and op == "IN":
                new = code_list(prop, value)
                codes = new if codes is None else codes & new
            else:
                raise unsupported(prop, op)
    return after, codes
