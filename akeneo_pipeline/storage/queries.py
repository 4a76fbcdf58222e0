"""Read-only questions about the stored tables, behind `Store`'s typed methods (checks, loaders).

Kept here, next to the schemas, so the SQL that knows table and column names
lives in one package. Missing tables read as empty: a first run has none yet.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.storage.schemas import ALL_TABLES, ENTITY_TABLES
from akeneo_pipeline.storage.warehouse import Warehouse

EXAMPLES = 10
REFERENCES = ("family", "family_variant", "parent", "categories")
# The table each reference points into.
REFERENCED_TABLES = {"family": "families", "family_variant": "family_variants", "parent": "product_models",
                     "categories": "categories"}


@dataclass(frozen=True)
class Found:
    """How many rows a check found, and the first few of them; `unchecked` names the table a
    check could not look into because it holds no row (never loaded), in which case count is 0."""

    count: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    unchecked: str | None = None


def codes_of(warehouse: Warehouse, table: str, types: Sequence[str] = ()) -> list[str]:
    """Codes of the stored items of `table` (of these `type`s only, if any), sorted."""
    if not warehouse.table_exists(table):
        return []
    names = {f"t{i}": t for i, t in enumerate(types)}
    where = f" WHERE type IN ({', '.join(f':{n}' for n in names)})" if types else ""
    rows = warehouse.query(f"SELECT code FROM {warehouse.table(table)}{where} ORDER BY code", names)
    return [row["code"] for row in rows]


def keys_of(warehouse: Warehouse, table: str, key: Sequence[str], types: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """The distinct `key` column tuples of `table` (of these `type`s only, if any), sorted."""
    if not warehouse.table_exists(table):
        return []
    names = {f"t{i}": t for i, t in enumerate(types)}
    where = f" WHERE type IN ({', '.join(f':{n}' for n in names)})" if types else ""
    columns = ", ".join(warehouse.quote(k) for k in key)
    rows = warehouse.query(f"SELECT DISTINCT {columns} FROM {warehouse.table(table)}{where} ORDER BY {columns}", names)
    return [tuple(row[k] for k in key) for row in rows]


def attributes_and_options(warehouse: Warehouse) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The stored attributes ({code, type}) and attribute options ({attribute, code, sort_order,
    labels}, in Akeneo's field names), read in one transaction so both come from the same
    committed state."""
    with warehouse.begin("read attributes and attribute options") as conn:
        attributes = [dict(r) for r in conn.exec_driver_sql(
            f"SELECT code, type FROM {warehouse.table('attributes')}").mappings().all()]
        options = [dict(r) for r in conn.exec_driver_sql(
            "SELECT attribute_code AS attribute, code, sort_order, CAST(labels AS VARCHAR) AS labels "
            f"FROM {warehouse.table('attribute_options')}").mappings().all()]
    for option in options:
        option["labels"] = None if option["labels"] is None else json.loads(option["labels"])
    return attributes, options


def identifier_attribute(warehouse: Warehouse) -> str | None:
    """The code of the `pim_catalog_identifier` attribute (the main one if several), or None."""
    if not warehouse.table_exists("attributes"):
        return None
    rows = warehouse.query(
        f"SELECT code, CAST(raw AS VARCHAR) AS raw FROM {warehouse.table('attributes')} "
        "WHERE type = :type ORDER BY code", {"type": "pim_catalog_identifier"})
    main = [str(r["code"]) for r in rows if '"is_main_identifier":true' in r["raw"].replace(" ", "")]
    found = main or [str(r["code"]) for r in rows]
    return found[0] if found else None


def duplicate_keys(warehouse: Warehouse, table: str) -> Found:
    """Keys held by more than one row (should never happen: every write is keyed)."""
    spec = ALL_TABLES[table]
    if not spec.key:
        raise ValueError(f"{table} has no key")
    if not warehouse.table_exists(table):
        return Found(0)
    cols = ", ".join(warehouse.quote(k) for k in spec.key)
    rows = warehouse.query(
        f"SELECT {cols}, COUNT(*) AS copies FROM {warehouse.table(table)} GROUP BY {cols} HAVING COUNT(*) > 1 "
        f"ORDER BY {cols}")
    return Found(len(rows), rows[:EXAMPLES])


def _references_sql(warehouse: Warehouse, stream: str, reference: str) -> str:
    t = warehouse.table
    key = ENTITY_TABLES[stream].entity.key[0]
    live = "e.deleted_at IS NULL"
    if reference == "family":
        return (f"SELECT e.{key} AS key, e.family AS reference FROM {t(stream)} e WHERE {live} "
                "AND e.family IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {t('families')} f WHERE f.code = e.family)")
    if reference == "family_variant":
        return (f"SELECT e.{key} AS key, e.family_variant AS reference FROM {t(stream)} e WHERE {live} "
                f"AND e.family_variant IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {t('family_variants')} v "
                "WHERE v.family_code = e.family AND v.code = e.family_variant)")
    if reference == "parent":
        return (f"SELECT e.{key} AS key, e.parent AS reference FROM {t(stream)} e WHERE {live} "
                "AND e.parent IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {t('product_models')} m WHERE m.code = e.parent)")
    if reference == "categories":
        if warehouse.dialect == "duckdb":
            elements = (f"(SELECT {key}, unnest(json_extract_string(categories, '$[*]')) AS c "
                        f"FROM {t(stream)} e WHERE {live})")
        else:
            elements = f"(SELECT {key}, jsonb_array_elements_text(categories) AS c FROM {t(stream)} e WHERE {live})"
        return (f"SELECT x.{key} AS key, x.c AS reference FROM {elements} x "
                f"WHERE NOT EXISTS (SELECT 1 FROM {t('categories')} c WHERE c.code = x.c)")
    raise ValueError(f"unknown reference {reference!r}; expected one of {REFERENCES}")


def dangling_references(warehouse: Warehouse, stream: str, reference: str) -> Found:
    """Live products/product models pointing at a family, variant, parent or category the tables lack."""
    statement = _references_sql(warehouse, stream, reference)
    if not warehouse.table_exists(stream):
        return Found(0)
    rows = warehouse.query(f"SELECT key, reference FROM ({statement}) d ORDER BY key, reference")
    target = REFERENCED_TABLES[reference]
    if rows and warehouse.table_rows(target, "") == 0:
        # Every reference "dangles" into an empty table: it was never loaded (a products-only run on
        # a new warehouse), so nothing can be said about them yet.
        return Found(0, unchecked=target)
    return Found(len(rows), rows[:EXAMPLES])
