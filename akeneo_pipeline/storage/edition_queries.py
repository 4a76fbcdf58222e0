"""Read-only questions about the editions' tables, for the picklist snapshot (picklists/commit.py): the
reference entity attributes and their entities' records with their labels, and the table attributes' select
columns with their options. Read in one transaction, so all come from one committed state.

A record's label is the value of its entity's `label` attribute in each locale: Akeneo creates that
localizable text attribute with every reference entity, and the REST API names no other label attribute
(the Swagger ReferenceEntity definition has no `attribute_as_label`; every record example of the Swagger
file and of pim-api-docs' reference-entities.md carries its label there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.storage.warehouse import Warehouse

RECORD_LABEL_ATTRIBUTE = "label"
REFERENCE_ENTITY_ATTRIBUTE_TYPES = ("akeneo_reference_entity", "akeneo_reference_entity_collection")


@dataclass(frozen=True)
class EditionPicklists:
    # product attributes linking to reference entities: {code, type, reference_data_name}
    reference_entity_attributes: list[dict[str, Any]] = field(default_factory=list)
    # entity code -> record code -> {locale: label}
    records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # table attribute code -> its select columns, in column order
    select_columns: dict[str, list[str]] = field(default_factory=dict)
    # (attribute, column) -> [{code, labels}]
    select_options: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)


def edition_picklists(warehouse: Warehouse) -> EditionPicklists:
    t = warehouse.table
    found = EditionPicklists()
    with warehouse.begin("read the reference entity and table attribute picklists") as conn:
        types = ", ".join(f"'{kind}'" for kind in REFERENCE_ENTITY_ATTRIBUTE_TYPES)
        found.reference_entity_attributes.extend(dict(r) for r in conn.exec_driver_sql(
            f"SELECT code, type, reference_data_name FROM {t('attributes')} WHERE type IN ({types}) "
            "ORDER BY code").mappings().all())
        for entity, code in conn.exec_driver_sql(
                f"SELECT reference_entity_code, code FROM {t('reference_entity_records')}").fetchall():
            found.records.setdefault(entity, {})[code] = {}
        for entity, code, locale, data in conn.exec_driver_sql(
                "SELECT reference_entity_code, record_code, locale, CAST(data AS VARCHAR) "
                f"FROM {t('reference_entity_record_values')} WHERE attribute_code = '{RECORD_LABEL_ATTRIBUTE}' "
                "AND channel IS NULL AND locale IS NOT NULL").fetchall():
            label = json.loads(data) if data is not None else None
            record = found.records.get(entity, {}).get(code)
            if record is not None and isinstance(label, str):
                record[locale] = label
        for attribute, column in conn.exec_driver_sql(
                f"SELECT attribute_code, code FROM {t('table_attribute_columns')} WHERE data_type = 'select' "
                "ORDER BY attribute_code, position").fetchall():
            found.select_columns.setdefault(attribute, []).append(column)
        for attribute, column, code, labels in conn.exec_driver_sql(
                "SELECT attribute_code, column_code, code, CAST(labels AS VARCHAR) "
                f"FROM {t('table_select_options')} ORDER BY attribute_code, column_code, position").fetchall():
            found.select_options.setdefault((attribute, column), []).append(
                {"code": code, "labels": json.loads(labels) if labels is not None else {}})
    return found
