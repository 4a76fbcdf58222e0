"""Impact of picklist changes on the catalog, in SQL over the warehouse tables (`Store.change_impact`,
`Store.dangling_values`).

Which products and product models use an option, and which product values
point at options that no longer exist. Runs on DuckDB and PostgreSQL: the only
dialect difference, turning a value's JSON `data` (an option code for a simple
select, a list of codes for a multi select) into one row per code, lives in
`_OPTION_CODES`. Deleted products and product models (deleted_at set) do not count.
Reference entity attributes count like selects (their values are record codes, their picklist the records);
table attributes' select columns (`table_column` set) are left out: their codes sit in cells of a list of rows.

Option codes match case-insensitively, as in Akeneo: a code is unique whatever its
case ("This value is already used", pim-community-dev issue 12100) and a product
value may keep another case than the option's code ("Reminder: the PIM is not case
sensitive", pim-community-dev PR 16751; PR 19281 keeps the value's case). So a value
`Red` uses the option `red`. Akeneo refuses option codes other than letters, digits
and underscores ("Option code may contain only letters, numbers and underscores"),
on which DuckDB's and PostgreSQL's `lower()` agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from akeneo_pipeline.storage.schemas import ENTITY_TABLES
from akeneo_pipeline.storage.warehouse import Warehouse

_OPTION_CODES = {
    "duckdb": """
        SELECT v.{owner} AS owner, v.attribute_code, v.locale, v.scope,
               unnest(CASE json_type(v.data)
                   WHEN 'ARRAY' THEN json_extract_string(v.data, '$[*]')
                   WHEN 'VARCHAR' THEN [json_extract_string(v.data, '$')]
                   ELSE []::VARCHAR[] END) AS option_code
        FROM {values} v""",
    "postgresql": """
        SELECT v.{owner} AS owner, v.attribute_code, v.locale, v.scope, e.code AS option_code
        FROM {values} v
        CROSS JOIN LATERAL jsonb_array_elements_text(CASE jsonb_typeof(v.data::jsonb)
            WHEN 'array' THEN v.data::jsonb
            WHEN 'string' THEN jsonb_build_array(v.data::jsonb)
            ELSE '[]'::jsonb END) AS e(code)""",
}

# owner kind -> the stream whose value rows it owns
_OWNERS = (("product", ENTITY_TABLES["products"]), ("product_model", ENTITY_TABLES["product_models"]))


def _used_codes(warehouse: Warehouse) -> str:
    """One row per (owner kind, owner, attribute, locale, scope, option code) of a live select value."""
    if warehouse.dialect not in _OPTION_CODES:
        raise ValueError(f"picklist impact supports DuckDB and PostgreSQL warehouses, not {warehouse.dialect!r}")
    q, t = warehouse.quote, warehouse.table
    parts = []
    for kind, stream in _OWNERS:
        codes = _OPTION_CODES[warehouse.dialect].format(values=t(stream.values.name), owner=q(stream.owner_column))
        parts.append(f"""
            SELECT '{kind}' AS owner_kind, c.owner, c.attribute_code, c.locale, c.scope, c.option_code
            FROM ({codes}) c
            JOIN {t(stream.entity.name)} e ON e.{q(stream.entity.key[0])} = c.owner AND e.deleted_at IS NULL
            JOIN {t("picklist_attributes")} a ON a.attribute_code = c.attribute_code AND a.active
                AND a.table_column IS NULL""")
    return " UNION ALL ".join(parts)


def change_impact(warehouse: Warehouse, first_change_id: int, last_change_id: int) -> list[dict[str, Any]]:
    """For each option change in [first, last]: how many live products and product models use the option
    (in any case: a value `Red` uses the option `red`).

    Attribute-level changes (no option) are left out: they have no option to count.
    """
    statement = f"""
        WITH used AS ({_used_codes(warehouse)})
        SELECT ch.change_id, ch.attribute_code, ch.option_code, ch.change_type,
               COUNT(DISTINCT CASE WHEN u.owner_kind = 'product' THEN u.owner END) AS product_count,
               COUNT(DISTINCT CASE WHEN u.owner_kind = 'product_model' THEN u.owner END) AS product_model_count
        FROM {warehouse.table("picklist_changes")} ch
        LEFT JOIN used u ON u.attribute_code = ch.attribute_code AND lower(u.option_code) = lower(ch.option_code)
        WHERE ch.change_id BETWEEN :first AND :last AND ch.option_code IS NOT NULL
        GROUP BY ch.change_id, ch.attribute_code, ch.option_code, ch.change_type
        ORDER BY ch.change_id"""
    with warehouse.begin("compute picklist change impact") as conn:
        result = conn.execute(text(statement), {"first": first_change_id, "last": last_change_id})
        return [dict(row) for row in result.mappings()]


def dangling_values(warehouse: Warehouse, limit: int | None = None) -> list[dict[str, Any]]:
    """Live product and product model values pointing at options that are not active in picklist_current
    (compared case-insensitively; the value's own spelling is returned).

    `limit` bounds the list (for metadata); count with `limit=None`.
    """
    statement = f"""
        WITH used AS ({_used_codes(warehouse)})
        SELECT u.owner_kind, u.owner, u.attribute_code, u.locale, u.scope, u.option_code
        FROM used u
        WHERE NOT EXISTS (
            SELECT 1 FROM {warehouse.table("picklist_current")} p
            WHERE p.attribute_code = u.attribute_code AND lower(p.option_code) = lower(u.option_code) AND p.active)
        ORDER BY u.owner_kind, u.owner, u.attribute_code, u.locale, u.scope, u.option_code"""
    if limit is not None:
        statement += f" LIMIT {int(limit)}"
    with warehouse.begin("find values pointing at missing options") as conn:
        return [dict(row) for row in conn.execute(text(statement)).mappings()]
