"""Reference entities, their attributes and attribute options, and their records, as an Enterprise
PIM serves them.

Shapes (Swagger definitions ReferenceEntity(List), ReferenceEntityAttribute(List),
ReferenceEntityAttributeOption, ReferenceEntityRecord(List); pim-api-docs
content/concepts/reference-entities.md, one JSON example per attribute type):
- a reference entity is `{code, labels, image}`; `_links.image_download` when it has an image,
  `_links.self` too in lists (AddHalDownloadLinkToReferenceEntityImage, GetConnectorReferenceEntitiesAction);
- an attribute is `{code, labels, type, value_per_locale, value_per_channel,
  is_required_for_completeness, ...}` with the properties of its type; lists are plain arrays, not
  pages ("you can't have more than 100 attributes per reference entity"), each item with
  `_links.self` (pim-community-dev, src/Akeneo/ReferenceEntity/back/Infrastructure/Connector/Api/
  Attribute/GetConnectorReferenceEntityAttributesAction.php: AddHalSelfLinkToNormalizedConnectorAttribute);
- options `{code, labels}`, only on `single_option` / `multiple_options` attributes, a plain array
  (concepts page: "the response is not paginated"; Swagger: `x-no-entity`, type array). The pagination
  doc lists "reference entity attribute options" among the search_after lists; the Swagger file and the
  concepts page say a plain array, which the sandbox follows;
- a record is `{code, values, created, updated}` (created/updated `x-from-version: 5.0`); values are
  `{attribute: [{locale, channel, data}]}`, data a string for text, image, number and single links, a list
  for multiple options and links (concepts page, "The `data` format"); image values carry
  `_links.download` (AddHalDownloadLinkToRecordImages).

The label of a record is the value of its entity's label attribute. The REST API does not expose which
attribute that is (the ReferenceEntity definition has no `attribute_as_label`); Akeneo creates it as a
localizable `text` attribute coded `label` with every entity, and every record example of the Swagger
file and the concepts page carries its label there, so the sandbox's entities all name it `label`
(LABEL_ATTRIBUTE), and `image` its image attribute.

This code lives in pim-community-dev's history as Enterprise bundles (src/Akeneo/ReferenceEntity/back/...,
"This file is part of the Akeneo PIM Enterprise Edition"); where a behaviour is cited from it, that is
the file meant.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.sandbox import structure as s
from akeneo_pipeline.sandbox.enterprise.items import Item, ItemStore

LABEL_ATTRIBUTE = "label"
IMAGE_ATTRIBUTE = "image"
OPTION_TYPES = ("single_option", "multiple_options")
LINK_TYPES = ("reference_entity_single_link", "reference_entity_multiple_links")
MEDIA_FILES = "/api/rest/v1/reference-entities-media-files"


def three(en: str, fr: str | None = None, de: str | None = None) -> dict[str, str]:
    return {"en_US": en, "fr_FR": fr or f"{en} (FR)", "de_DE": de or f"{en} (DE)"}


def attribute(code: str, type_: str, labels: dict[str, str], per_locale: bool = False, per_channel: bool = False,
              required: bool = False, **extra: Any) -> dict[str, Any]:
    """An attribute as the connector serves it: the common properties, then its type's (concepts page)."""
    base: dict[str, Any] = {"code": code, "labels": labels, "type": type_, "value_per_locale": per_locale,
                            "value_per_channel": per_channel, "is_required_for_completeness": required}
    if type_ == "text":
        base.update({"max_characters": extra.get("max_characters"), "is_textarea": extra.get("is_textarea", False),
                     "is_rich_text_editor": extra.get("is_rich_text_editor", False),
                     "validation_rule": extra.get("validation_rule", "none"),
                     "validation_regexp": extra.get("validation_regexp")})
    elif type_ == "image":
        base.update({"allowed_extensions": extra.get("allowed_extensions", ["jpg", "png"]),
                     "max_file_size": extra.get("max_file_size", "10")})
    elif type_ == "number":
        base.update({"decimals_allowed": extra.get("decimals_allowed", False), "min_value": extra.get("min_value"),
                     "max_value": extra.get("max_value")})
    elif type_ in LINK_TYPES:
        base["reference_entity_code"] = extra["reference_entity_code"]
    elif type_ not in OPTION_TYPES:
        raise ValueError(f"unknown reference entity attribute type {type_!r}")
    return base


def label_attributes(entity_labels: str) -> list[dict[str, Any]]:
    """The two attributes Akeneo creates with every reference entity."""
    return [attribute(LABEL_ATTRIBUTE, "text", three("Label", "Libellé", "Bezeichnung"), per_locale=True,
                      max_characters=255),
            attribute(IMAGE_ATTRIBUTE, "image", three("Image", "Image", "Bild"))]


def options(words: list[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    return [{"code": code, "labels": {"en_US": en, "fr_FR": fr, "de_DE": de}} for code, en, fr, de in words]


COUNTRIES = [("fr", "France", "France", "Frankreich"), ("de", "Germany", "Allemagne", "Deutschland"),
             ("it", "Italy", "Italie", "Italien"), ("se", "Sweden", "Suède", "Schweden"),
             ("no", "Norway", "Norvège", "Norwegen"), ("us", "United States", "États-Unis", "Vereinigte Staaten"),
             ("jp", "Japan", "Japon", "Japan")]
DESIGNER_NAMES = ["ada_lind", "bruno_riva", "chloe_marceau", "dieter_hahn", "elin_berg", "fumiko_sato",
                  "gustav_moe", "helene_roux", "ivo_santini", "jonas_vik"]

# code -> (labels, attributes after label/image, options per option attribute, first record codes);
# an entity linked to comes before the entities linking to it
ENTITIES: dict[str, tuple[dict[str, str], list[dict[str, Any]], dict[str, list[dict[str, Any]]], list[str]]] = {
    "designers": (
        three("Designers", "Designers", "Designer"),
        [attribute("nationality", "single_option", three("Nationality", "Nationalité", "Nationalität")),
         # per locale and per channel: values exist for each (locale, channel) pair of the channels' locales
         attribute("bio", "text", three("Biography", "Biographie", "Biografie"), per_locale=True, per_channel=True,
                   is_textarea=True)],
        {"nationality": options(COUNTRIES)},
        DESIGNER_NAMES,
    ),
    "brands": (
        three("Brands", "Marques", "Marken"),
        [attribute("description", "text", three("Description", "Description", "Beschreibung"), per_locale=True,
                   is_textarea=True, is_rich_text_editor=True),
         attribute("country", "single_option", three("Country", "Pays", "Land")),
         attribute("founded", "number", three("Founded", "Fondée", "Gegründet"), min_value="1800", max_value="2100"),
         attribute("certifications", "multiple_options", three("Certifications", "Certifications", "Zertifikate")),
         attribute("designers", "reference_entity_multiple_links", three("Designers", "Designers", "Designer"),
                   reference_entity_code="designers")],
        {"country": options(COUNTRIES),
         "certifications": options([("fair_trade", "Fair trade", "Commerce équitable", "Fairer Handel"),
                                    ("bluesign", "bluesign", "bluesign", "bluesign"),
                                    ("oeko_tex", "OEKO-TEX", "OEKO-TEX", "OEKO-TEX"),
                                    ("b_corp", "B Corp", "B Corp", "B Corp")])},
        [code for code, _, _ in s.OPTION_WORDS["brand"]],
    ),
    "materials": (
        three("Materials", "Matières", "Materialien"),
        [attribute("care_notes", "text", three("Care notes", "Entretien", "Pflegehinweise"), per_locale=True),
         attribute("material_family", "single_option", three("Material family", "Famille", "Materialfamilie"),
                   required=True),
         attribute("properties", "multiple_options", three("Properties", "Propriétés", "Eigenschaften"))],
        {"material_family": options([("natural", "Natural", "Naturelle", "Natürlich"),
                                     ("synthetic", "Synthetic", "Synthétique", "Synthetisch"),
                                     ("metal", "Metal", "Métal", "Metall"), ("wood", "Wood", "Bois", "Holz")]),
         "properties": options([("waterproof", "Waterproof", "Imperméable", "Wasserdicht"),
                                ("breathable", "Breathable", "Respirant", "Atmungsaktiv"),
                                ("stretch", "Stretch", "Extensible", "Dehnbar"),
                                ("recycled", "Recycled", "Recyclé", "Recycelt")])},
        [code for code, _, _ in s.OPTION_WORDS["material"]],
    ),
}


def media_code(*parts: str, suffix: str = "png") -> str:
    """A file key as Akeneo writes them: `a/b/c/d/<sha1>_<name>` (the concepts page's examples)."""
    digest = hashlib.sha1("/".join(parts).encode()).hexdigest()
    return f"{digest[0]}/{digest[1]}/{digest[2]}/{digest[3]}/{digest}_{parts[-1]}.{suffix}"


@dataclass
class ReferenceEntity:
    code: str
    labels: dict[str, str]
    image: str | None
    attributes: list[dict[str, Any]]
    options: dict[str, list[dict[str, Any]]]
    records: ItemStore = field(default_factory=ItemStore)
    initial_codes: list[str] = field(default_factory=list)  # what generated products link to

    def attribute(self, code: str) -> dict[str, Any] | None:
        return next((a for a in self.attributes if a["code"] == code), None)


def record_codes(first: list[str], prefix: str, count: int) -> list[str]:
    return (first + [f"{prefix}_{k:04d}" for k in range(len(first), count)])[:count]


def build(seed: int, anchor: int, history_days: int, per_entity: int) -> dict[str, ReferenceEntity]:
    rng = random.Random(f"reference-entities-{seed}")
    out: dict[str, ReferenceEntity] = {}
    for code, (labels, attrs, opts, first) in ENTITIES.items():
        entity = ReferenceEntity(code, dict(labels), media_code("reference-entity", code),
                                 label_attributes(code) + [dict(a) for a in attrs],
                                 {k: [dict(o, labels=dict(o["labels"])) for o in v] for k, v in opts.items()})
        prefix = code[:-1] if code.endswith("s") else code
        for record_code in record_codes(first, prefix, per_entity):
            created = anchor - rng.randrange(30 * 86400, history_days * 86400)
            updated = min(anchor - 1, created + rng.randrange(0, 60 * 86400))
            entity.records.add(Item(record_code, record_values(entity, record_code, rng, out), created, updated))
        entity.initial_codes = list(entity.records.order)
        out[code] = entity
    return out


def record_values(entity: ReferenceEntity, code: str, rng: random.Random,
                  built: dict[str, ReferenceEntity]) -> dict[str, list[dict[str, Any]]]:
    """Values of a generated record: a label in two or three locales, then the entity's attributes, sparse."""
    words = code.replace("_", " ").title()
    locales = s.LOCALES if rng.random() < 0.8 else s.LOCALES[:2]
    values: dict[str, list[dict[str, Any]]] = {
        LABEL_ATTRIBUTE: [{"locale": loc, "channel": None, "data": words if loc == "en_US" else f"{words} ({loc[:2]})"}
                          for loc in locales],
        IMAGE_ATTRIBUTE: [{"locale": None, "channel": None, "data": media_code(entity.code, code)}],
    }
    for attr in entity.attributes[2:]:
        if rng.random() < 0.2:
            continue  # sparse, as real records are
        values[attr["code"]] = [{"locale": loc, "channel": ch, "data": data}
                                for loc, ch in pairs(attr)
                                if (data := value_data(entity, attr, rng, built, words)) is not None]
        if not values[attr["code"]]:
            del values[attr["code"]]
    return values


def pairs(attr: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(locale, channel) slots of an attribute: channels with their own locales, as for products."""
    if attr["value_per_channel"]:
        return [(loc, ch) for ch, (locs, _, _) in s.CHANNELS.items()
                for loc in (locs if attr["value_per_locale"] else [None])]
    return [(loc, None) for loc in (s.LOCALES if attr["value_per_locale"] else [None])]


def value_data(entity: ReferenceEntity, attr: dict[str, Any], rng: random.Random,
               built: dict[str, ReferenceEntity], words: str) -> Any:
    kind = attr["type"]
    if kind == "text":
        return f"{words}: {rng.choice(['classic', 'modern', 'durable', 'light', 'soft'])} {rng.randrange(1000)}"
    if kind == "number":
        return str(rng.randint(int(attr["min_value"] or 0), int(attr["max_value"] or 100)))
    if kind == "single_option":
        return rng.choice(entity.options[attr["code"]])["code"]
    if kind == "multiple_options":
        codes = [o["code"] for o in entity.options[attr["code"]]]
        return sorted(rng.sample(codes, rng.randint(1, min(2, len(codes)))))
    if kind in LINK_TYPES:
        target = built.get(attr["reference_entity_code"])
        if target is None or not target.initial_codes:
            return None  # generated in ENTITIES order: links go to entities built before
        if kind == "reference_entity_single_link":
            return rng.choice(target.initial_codes)
        return sorted(rng.sample(target.initial_codes, rng.randint(1, min(2, len(target.initial_codes)))))
    if kind == "image":
        return media_code(entity.code, attr["code"], words)
    return None
