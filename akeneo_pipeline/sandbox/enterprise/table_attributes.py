"""Table attributes (`pim_catalog_table`): their column definitions, the options of their `select`
columns, and the table values of products.

Sources:
- `table_configuration`: the Swagger Attribute definition, a list of columns `{code, data_type (select,
  text, number, boolean, incremental_number, reference_entity, product_link, measurement, date), labels,
  validations {min, max, decimals_allowed, max_length}, is_required_for_completeness}`, "always true for
  the first column"; docs/concepts_catalog-structure.md: "at least two columns, and the first one has to
  be a `select` data type", up to 10 columns, up to 200000 options for a select column.
- select options: `with_table_select_options=true` on `GET /attributes` and `GET /attributes/{code}`
  ("Return the options of 'select' column types (of a table attribute) in the response. (Only available
  since the 7.0 version)"); pim-community-dev, src/Akeneo/Pim/TableAttribute/back/Infrastructure/
  Normalizer/ExternalApi/TableAttributeNormalizer.php adds `options` to each select column,
  `SelectOptionCollection::normalize()`, a list of `{code, labels}`. Option codes are unique
  case-insensitively there (the collection is keyed by `strtolower(code)`), as the sandbox checks.
- values: docs/concepts_products.md, "Table attribute": `data` is a list of rows, each an object from
  column code to cell; the first column is always filled, other cells may be missing; a select cell is
  an option code, a number a decimal string ("28.5"), a boolean a boolean.

Table attributes exist on Growth and Enterprise editions only (editions.py).
"""

from __future__ import annotations

import random
from typing import Any

from akeneo_pipeline.sandbox.enterprise.reference_entities import three


def column(code: str, data_type: str, labels: dict[str, str], validations: dict[str, Any] | None = None,
           required: bool = False) -> dict[str, Any]:
    return {"code": code, "data_type": data_type, "labels": labels, "validations": validations or {},
            "is_required_for_completeness": required}


def opts(words: list[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    return [{"code": c, "labels": {"en_US": en, "fr_FR": fr, "de_DE": de}} for c, en, fr, de in words]


# attribute code -> (labels, columns, select options per select column)
TABLES: dict[str, tuple[dict[str, str], list[dict[str, Any]], dict[str, list[dict[str, Any]]]]] = {
    "composition": (
        three("Composition", "Composition", "Zusammensetzung"),
        [column("material", "select", three("Material", "Matière", "Material"), required=True),
         column("percentage", "number", three("%", "%", "%"), {"min": 0, "max": 100, "decimals_allowed": True},
                required=True),
         column("origin", "select", three("Origin", "Origine", "Herkunft")),
         column("recycled", "boolean", three("Recycled", "Recyclé", "Recycelt"))],
        {"material": opts([("cotton", "Cotton", "Coton", "Baumwolle"), ("wool", "Wool", "Laine", "Wolle"),
                           ("linen", "Linen", "Lin", "Leinen"), ("polyester", "Polyester", "Polyester", "Polyester"),
                           ("elastane", "Elastane", "Élasthanne", "Elasthan"), ("steel", "Steel", "Acier", "Stahl"),
                           ("oak", "Oak", "Chêne", "Eiche"), ("glass", "Glass", "Verre", "Glas")]),
         "origin": opts([("fr", "France", "France", "Frankreich"), ("it", "Italy", "Italie", "Italien"),
                         ("pt", "Portugal", "Portugal", "Portugal"), ("cn", "China", "Chine", "China"),
                         ("vn", "Vietnam", "Viêt Nam", "Vietnam"), ("tr", "Turkey", "Turquie", "Türkei")])},
    ),
    "care_instructions": (
        three("Care instructions", "Entretien", "Pflege"),
        [column("step", "select", three("Step", "Étape", "Schritt"), required=True),
         column("instruction", "text", three("Instruction", "Consigne", "Anweisung"), {"max_length": 200})],
        {"step": opts([("wash", "Wash", "Laver", "Waschen"), ("dry", "Dry", "Sécher", "Trocknen"),
                       ("iron", "Iron", "Repasser", "Bügeln"), ("bleach", "Bleach", "Blanchir", "Bleichen"),
                       ("clean", "Professional cleaning", "Nettoyage", "Reinigung")])},
    ),
}


def configuration(code: str) -> list[dict[str, Any]]:
    """The attribute's `table_configuration` without options (what `/attributes` serves by default)."""
    return [dict(c, labels=dict(c["labels"]), validations=dict(c["validations"])) for c in TABLES[code][1]]


def initial_options(code: str) -> dict[str, list[dict[str, Any]]]:
    return {col: [dict(o, labels=dict(o["labels"])) for o in options] for col, options in TABLES[code][2].items()}


def table_data(code: str, rng: random.Random) -> list[dict[str, Any]]:
    """Rows of a generated table value, from the options the catalog was generated with (like product
    select values, rows keep pointing at an option removed later)."""
    _, columns, options = TABLES[code]
    first = columns[0]["code"]
    firsts = rng.sample([o["code"] for o in options[first]], rng.randint(1, 3))
    rows = []
    for cell in firsts:
        row: dict[str, Any] = {first: cell}
        for col in columns[1:]:
            if rng.random() < 0.25:
                continue  # a cell left empty
            kind = col["data_type"]
            if kind == "select":
                row[col["code"]] = rng.choice(options[col["code"]])["code"]
            elif kind == "number":
                row[col["code"]] = f"{rng.randint(1, 100) / 2:g}"
            elif kind == "boolean":
                row[col["code"]] = rng.random() < 0.3
            elif kind == "text":
                row[col["code"]] = f"{cell.title()} at {rng.choice([30, 40, 60])} degrees"
        rows.append(row)
    return rows
