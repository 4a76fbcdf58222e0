"""Parse a response body with orjson, exactly as the standard library's `json` would.

orjson parses a page about twice as fast as `json`, but an integer beyond 64 bits comes
back from it as a float (1.2345678901234568e+29 for a 30-digit value), and Akeneo
number values may hold such integers. So a body is scanned first for a run of 19 or
more digits that starts where a JSON number can start (after `[`, `:`, `,`, whitespace
or a minus sign): int64 overflow needs 19 digits, and a number is the only place such
a run can start in JSON outside a string. Only a body that has one is parsed with
`json`; a digit run inside a string that matches (`"a 1234567890123456789"`) merely sends
its page to `json` too, which is slower and just as exact.

orjson is stricter than `json` in a few corners (`NaN`, lone surrogates, bodies that
are not UTF-8): any orjson error parses the body again with `json`, so what is
accepted or refused, and every error message, stays the standard library's.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# 19 digits: the smallest length at which an integer can leave int64 (9223372036854775807).
BIG_DIGITS = 19
# Every digit becomes "0" and every other byte "x", so one fast `bytes.find` finds a run of
# digits (a regular expression scanning for a digit class runs ten times slower).
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else 0x78 for b in range(256))
_RUN = b"0" * BIG_DIGITS
# Where a JSON number's digits can start outside a string: after a structural character,
# whitespace or its minus sign.
_NUMBER_START = frozenset(b"[:, \t\n\r-")


def may_hold_big_integer(body: bytes) -> bool:
    """Whether the body has a run of 19+ digits that starts where a JSON number may start."""
    marked = body.translate(_DIGITS_AS_ZERO)
    at = marked.find(_RUN)
    while at >= 0:  # `at` is the start of a maximal run: the byte before it is no digit
        if at == 0 or body[at - 1] in _NUMBER_START:
            return True
        end = marked.find(b"x", at)
        if end < 0:
            return False
        at = marked.find(_RUN, end)
    return False


def loads(body: bytes) -> Any:
    """`json.loads(body)`, computed by orjson whenever that gives the same result."""
    if may_hold_big_integer(body):
        return json.loads(body)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)  # raises the standard library's own error, or parses what orjson refuses
