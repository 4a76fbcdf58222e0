"""Asset Manager asset families, their attributes and options, and their assets.

Shapes (Swagger definitions AssetFamilyList, AssetAttributeList, AssetAttributeOptionList, AssetList;
pim-api-docs content/concepts/asset-manager.md, one JSON example per attribute type):
- an asset family is `{code, labels, attribute_as_main_media, naming_convention, product_link_rules,
  transformations}`; the sandbox's families have no transformations: the Swagger definition types
  `operations` as an object while the concepts page writes a list, so an empty list is the one form
  both accept;
- an attribute is `{code, labels, type, value_per_locale, value_per_channel, is_required_for_completeness,
  is_read_only, ...}` with its type's properties (`media_type` on `media_file` and `media_link` only, as
  the Swagger field says: "Only required for `media_link` and `media_file` attribute types"); lists are
  plain arrays ("the response is not paginated"), items with `_links.self`
  (src/Akeneo/AssetManager/back/Infrastructure/Connector/Api/Attribute/Hal/AddHalSelfLinkToNormalizedConnectorAttribute.php);
- options `{code, labels}` as a plain array;
- an asset is `{code, asset_family_code, values, created, updated}` (created/updated from 6.0); a media
  file value's data is the file key, a media link's the link's end: media are never served, only their
  codes and links. On SaaS (`serenity`) values also carry `attribute_type`, and media file values
  `_links.download` (asset-manager.md, "The `_links` format", availability SaaS; AddHalDownloadLinkToAssetImages).

Pages: asset families 200 a page, assets 100 (src/Akeneo/AssetManager/back/Infrastructure/Symfony/
Resources/config/parameters.yml: asset_family_connector_asset_families_limit_per_page: 200,
asset_family_connector_assets_limit_per_page: 100), search_after only, by code
(GetConnectorAssetsAction: `AssetQuery::createPaginatedQueryUsingSearchAfter`). The label of an asset
is its `label` attribute, as for records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from akeneo_pipeline.sandbox import structure as s
from akeneo_pipeline.sandbox.enterprise.items import Item, ItemStore
from akeneo_pipeline.sandbox.enterprise.reference_entities import media_code, pairs, three

MEDIA_FILES = "/api/rest/v1/asset-media-files"
OPTION_TYPES = ("single_option", "multiple_options")


def attribute(code: str, type_: str, labels: dict[str, str], per_locale: bool = False, per_channel: bool = False,
              required: bool = False, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"code": code, "labels": labels, "type": type_, "value_per_locale": per_locale,
                            "value_per_channel": per_channel, "is_required_for_completeness": required,
                            "is_read_only": False}
    if type_ == "text":
        base.update({"max_characters": extra.get("max_characters"), "is_textarea": extra.get("is_textarea", False),
                     "is_rich_text_editor": extra.get("is_rich_text_editor", False),
                     "validation_rule": "none", "validation_regexp": None})
    elif type_ == "media_file":
        base.update({"media_type": extra.get("media_type", "image"),
                     "allowed_extensions": extra.get("allowed_extensions", ["jpg", "png"]), "max_file_size": "10"})
    elif type_ == "media_link":
        base.update({"media_type": extra.get("media_type", "image"), "prefix": extra.get("prefix"),
                     "suffix": extra.get("suffix")})
    elif type_ == "number":
        base.update({"decimals_allowed": False, "min_value": extra.get("min_value"),
                     "max_value": extra.get("max_value")})
    elif type_ not in OPTION_TYPES:
        raise ValueError(f"unknown asset attribute type {type_!r}")
    return base


def opts(words: list[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    return [{"code": c, "labels": {"en_US": en, "fr_FR": fr, "de_DE": de}} for c, en, fr, de in words]


# code -> (labels, main media, attributes, options, product link rule's target attribute, code prefix)
FAMILIES: dict[str, tuple[dict[str, str], str, list[dict[str, Any]], dict[str, list[dict[str, Any]]], str, str]] = {
    "packshots": (
        three("Packshots", "Packshots", "Produktfotos"), "media",
        [attribute("label", "text", three("Label", "Libellé", "Bezeichnung"), per_locale=True),
         attribute("media", "media_file", three("Picture", "Photo", "Bild"), required=True),
         attribute("alt_text", "text", three("Alt text", "Texte alternatif", "Alternativtext"), per_locale=True),
         attribute("view", "single_option", three("View", "Vue", "Ansicht")),
         attribute("main_colors", "multiple_options", three("Main colors", "Couleurs", "Hauptfarben")),
         attribute("photographer", "text", three("Photographer", "Photographe", "Fotograf"))],
        {"view": opts([("front", "Front", "Face", "Vorne"), ("back", "Back", "Dos", "Hinten"),
                       ("side", "Side", "Profil", "Seite"), ("detail", "Detail", "Détail", "Detail")]),
         "main_colors": opts([(c, fr.title() if c == fr else c.title(), fr, de)
                              for c, fr, de in s.OPTION_WORDS["color"]])},
        "packshot_assets", "packshot",
    ),
    "user_guides": (
        three("User guides", "Notices", "Anleitungen"), "pdf",
        [attribute("label", "text", three("Label", "Libellé", "Bezeichnung"), per_locale=True),
         attribute("pdf", "media_file", three("PDF", "PDF", "PDF"), per_locale=True, media_type="pdf",
                   allowed_extensions=["pdf"]),
         attribute("video", "media_link", three("Video", "Vidéo", "Video"), media_type="youtube"),
         attribute("pages", "number", three("Pages", "Pages", "Seiten"), min_value="1", max_value="400")],
        {},
        "user_manuals", "guide",
    ),
}


@dataclass
class AssetFamily:
    code: str
    labels: dict[str, str]
    attribute_as_main_media: str
    naming_convention: dict[str, Any]
    product_link_rules: list[dict[str, Any]]
    attributes: list[dict[str, Any]]
    options: dict[str, list[dict[str, Any]]]
    assets: ItemStore = field(default_factory=ItemStore)
    initial_codes: list[str] = field(default_factory=list)

    def attribute(self, code: str) -> dict[str, Any] | None:
        return next((a for a in self.attributes if a["code"] == code), None)

    def item(self) -> dict[str, Any]:
        return {"code": self.code, "labels": dict(self.labels), "attribute_as_main_media": self.attribute_as_main_media,
                "naming_convention": dict(self.naming_convention),
                "product_link_rules": [dict(rule) for rule in self.product_link_rules], "transformations": []}


def build(seed: int, anchor: int, history_days: int, per_family: int) -> dict[str, AssetFamily]:
    rng = random.Random(f"asset-families-{seed}")
    out: dict[str, AssetFamily] = {}
    for code, (labels, main, attrs, options, target, prefix) in FAMILIES.items():
        family = AssetFamily(
            code, dict(labels), main,
            # asset-manager.md, "Focus on the naming convention" and "Focus on the product link rule"
            {"source": {"property": "code", "channel": None, "locale": None},
             "pattern": f"/{prefix}_(?P<product_ref>.*)_.*/", "abort_asset_creation_on_error": False},
            [{"product_selections": [{"field": "sku", "operator": "=", "value": "{{product_ref}}",
                                      "locale": None, "channel": None}],
              "assign_assets_to": [{"mode": "add", "attribute": target, "locale": None, "channel": None}]}],
            [dict(a) for a in attrs], {k: [dict(o, labels=dict(o["labels"])) for o in v] for k, v in options.items()})
        for k in range(per_family):
            asset_code = f"{prefix}_sku_{k:07d}_{k % 3}"
            created = anchor - rng.randrange(30 * 86400, history_days * 86400)
            updated = min(anchor - 1, created + rng.randrange(0, 60 * 86400))
            family.assets.add(Item(asset_code, asset_values(family, asset_code, rng), created, updated))
        family.initial_codes = list(family.assets.order)
        out[code] = family
    return out


def asset_values(family: AssetFamily, code: str, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    values: dict[str, list[dict[str, Any]]] = {}
    for attr in family.attributes:
        if attr["code"] != family.attribute_as_main_media and attr["code"] != "label" and rng.random() < 0.25:
            continue
        entries = []
        for loc, ch in pairs(attr):
            data = asset_data(family, attr, code, loc, rng)
            if data is not None:
                entries.append({"locale": loc, "channel": ch, "data": data})
        if entries:
            values[attr["code"]] = entries
    return values


def asset_data(family: AssetFamily, attr: dict[str, Any], code: str, locale: str | None, rng: random.Random) -> Any:
    kind = attr["type"]
    if kind == "text":
        words = code.replace("_", " ")
        if attr["code"] == "label" and locale == "en_US":
            return words
        return f"{words} {attr['code']} {locale or ''}".strip()
    if kind == "media_file":
        suffix = "pdf" if attr.get("media_type") == "pdf" else "jpg"
        return media_code(family.code, attr["code"], locale or "", code, suffix=suffix)
    if kind == "media_link":
        return f"{code[-11:]}"  # a YouTube id-like link end; the prefix makes it a URL
    if kind == "number":
        return str(rng.randint(1, 400))
    if kind == "single_option":
        return rng.choice(family.options[attr["code"]])["code"]
    if kind == "multiple_options":
        codes = [o["code"] for o in family.options[attr["code"]]]
        return sorted(rng.sample(codes, rng.randint(1, 2)))
    return None
