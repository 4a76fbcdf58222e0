"""The admin routes of Enterprise edits (`POST /_sandbox/...`, merged into sandbox/admin.py):

    POST /_sandbox/reference-entity-records/add      {"reference_entity", "code", "labels"?: {locale: label},
                                                      "values"?: {attribute: [{locale, channel, data}]}}
    POST /_sandbox/reference-entity-records/relabel  {"reference_entity", "code", "locale", "label"} (null removes)
    POST /_sandbox/reference-entity-records/update   {"reference_entity", "n"} or {"reference_entity", "codes"}
    POST /_sandbox/reference-entity-records/remove   {"reference_entity", "code"}
    POST /_sandbox/assets/add                        {"asset_family", "code", "values"?}
    POST /_sandbox/assets/update                     {"asset_family", "n" | "codes", "values"?}
    POST /_sandbox/assets/remove                     {"asset_family", "code"}
    POST /_sandbox/table-select-options/add          {"attribute", "column", "code", "labels"?}
    POST /_sandbox/table-select-options/relabel      {"attribute", "column", "code", "locale", "label"}
    POST /_sandbox/table-select-options/remove       {"attribute", "column", "code"}

On an edition without the feature they answer 422 naming the edition and the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _count(body: dict[str, Any]) -> int | None:
    return None if body.get("n") is None else int(body["n"])


def posts(c: Any, body: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    return {
        "reference-entity-records/add": lambda: c.add_record(body["reference_entity"], body["code"],
                                                             body.get("labels"), body.get("values")),
        "reference-entity-records/relabel": lambda: c.relabel_record(body["reference_entity"], body["code"],
                                                                     body["locale"], body.get("label")),
        "reference-entity-records/update": lambda: {"codes": c.update_records(body["reference_entity"], _count(body),
                                                                              body.get("codes"))},
        "reference-entity-records/remove": lambda: c.remove_record(body["reference_entity"], body["code"]),
        "assets/add": lambda: c.add_asset(body["asset_family"], body["code"], body.get("values")),
        "assets/update": lambda: {"codes": c.update_assets(body["asset_family"], _count(body), body.get("codes"),
                                                           body.get("values"))},
        "assets/remove": lambda: c.remove_asset(body["asset_family"], body["code"]),
        "table-select-options/add": lambda: c.add_table_option(body["attribute"], body["column"], body["code"],
                                                               body.get("labels")),
        "table-select-options/relabel": lambda: c.relabel_table_option(body["attribute"], body["column"],
                                                                       body["code"], body["locale"], body.get("label")),
        "table-select-options/remove": lambda: c.remove_table_option(body["attribute"], body["column"], body["code"]),
    }
