"""The catalog structure a small fashion-and-gear retailer would have: locales, channels,
currencies, attribute groups, attributes of every common type, attribute options
labelled in several locales, families with one- and two-level family variants, a
category tree, association types and measurement families.

Plain data, built once per seed; the products in `products.py` point into it.
"""

from __future__ import annotations

from typing import Any

LOCALES = ["en_US", "fr_FR", "de_DE"]
DISABLED_LOCALES = ["es_ES", "it_IT"]
CURRENCIES = {"EUR": ("Euro", True), "USD": ("US dollar", True), "GBP": ("British pound", False)}
CHANNELS = {
    "ecommerce": (["en_US", "fr_FR", "de_DE"], ["EUR", "USD"], "master"),
    "mobile": (["en_US"], ["USD"], "master"),
    "print": (["fr_FR", "de_DE"], ["EUR"], "print_catalog"),
}
GROUPS = ["general", "marketing", "technical", "pricing"]

# code -> (type, group, localizable, scopable, extra properties)
ATTRIBUTES: dict[str, tuple[str, str, bool, bool, dict[str, Any]]] = {
    "sku": ("pim_catalog_identifier", "general", False, False, {"unique": True, "is_main_identifier": True}),
    "name": ("pim_catalog_text", "general", True, False, {"max_characters": 255}),
    "description": ("pim_catalog_textarea", "marketing", True, True, {"wysiwyg_enabled": True}),
    "brand": ("pim_catalog_simpleselect", "marketing", False, False, {}),
    "color": ("pim_catalog_simpleselect", "general", False, False, {}),
    "size": ("pim_catalog_simpleselect", "general", False, False, {}),
    "material": ("pim_catalog_multiselect", "technical", False, False, {}),
    "features": ("pim_catalog_multiselect", "marketing", False, False, {}),
    "eco_friendly": ("pim_catalog_boolean", "marketing", False, False, {"default_value": False}),
    "weight": ("pim_catalog_metric", "technical", False, False,
               {"metric_family": "Weight", "default_metric_unit": "KILOGRAM", "decimals_allowed": True,
                "negative_allowed": False}),
    "length": ("pim_catalog_metric", "technical", False, False,
               {"metric_family": "Length", "default_metric_unit": "CENTIMETER", "decimals_allowed": True,
                "negative_allowed": False}),
    "price": ("pim_catalog_price_collection", "pricing", False, False, {"decimals_allowed": True}),
    "release_date": ("pim_catalog_date", "marketing", False, False, {}),
    "warranty_years": ("pim_catalog_number", "technical", False, False,
                       {"decimals_allowed": False, "negative_allowed": False}),
    "rating": ("pim_catalog_number", "marketing", False, False, {"decimals_allowed": True, "negative_allowed": False}),
}

OPTION_WORDS: dict[str, list[tuple[str, str, str]]] = {
    "brand": [("northwind", "Northwind", "Northwind"), ("acme", "Acme", "Acme"), ("fjell", "Fjell", "Fjell"),
              ("lumen", "Lumen", "Lumen"), ("terra", "Terra", "Terra"), ("vento", "Vento", "Vento"),
              ("kobalt", "Kobalt", "Kobalt"), ("oslo_works", "Oslo Works", "Oslo Works")],
    "color": [("black", "Noir", "Schwarz"), ("white", "Blanc", "Weiß"), ("red", "Rouge", "Rot"),
              ("blue", "Bleu", "Blau"), ("green", "Vert", "Grün"), ("grey", "Gris", "Grau"),
              ("yellow", "Jaune", "Gelb"), ("navy", "Marine", "Marineblau")],
    "size": [("xs", "XS", "XS"), ("s", "S", "S"), ("m", "M", "M"), ("l", "L", "L"), ("xl", "XL", "XL"),
             ("s38", "38", "38"), ("s39", "39", "39"), ("s40", "40", "40"), ("s41", "41", "41"),
             ("s42", "42", "42"), ("s43", "43", "43"), ("s44", "44", "44"), ("s45", "45", "45")],
    "material": [("cotton", "Coton", "Baumwolle"), ("wool", "Laine", "Wolle"), ("leather", "Cuir", "Leder"),
                 ("polyester", "Polyester", "Polyester"), ("steel", "Acier", "Stahl"), ("wood", "Bois", "Holz")],
    "features": [("waterproof", "Imperméable", "Wasserdicht"), ("breathable", "Respirant", "Atmungsaktiv"),
                 ("recycled", "Recyclé", "Recycelt"), ("lightweight", "Léger", "Leicht"),
                 ("reflective", "Réfléchissant", "Reflektierend")],
}

# family -> (attributes, attribute_as_label, family variants)
# family variant -> list of (level, axes, attributes)
FAMILIES: dict[str, tuple[list[str], dict[str, list[tuple[int, list[str], list[str]]]]]] = {
    "clothing": (["sku", "name", "description", "brand", "color", "size", "material", "features", "eco_friendly",
                  "weight", "price", "release_date"],
                 {"clothing_color_size": [(1, ["color"], ["color", "material", "eco_friendly"]),
                                          (2, ["size"], ["sku", "size", "weight", "price"])]}),
    "shoes": (["sku", "name", "description", "brand", "color", "size", "material", "weight", "price", "rating"],
              {"shoes_size": [(1, ["size"], ["sku", "size", "weight", "price"])]}),
    "accessories": (["sku", "name", "description", "brand", "color", "material", "price", "eco_friendly"], {}),
    "electronics": (["sku", "name", "description", "brand", "weight", "length", "price", "warranty_years",
                     "release_date", "rating", "features"], {}),
    "home": (["sku", "name", "description", "brand", "color", "material", "length", "price"], {}),
}
SIMPLE_FAMILIES = ["accessories", "electronics", "home", "clothing", "shoes"]

CATEGORY_TREE: dict[str, dict[str, list[str]]] = {  # root -> child -> leaves
    "master": {"men": ["men_tops", "men_shoes", "men_accessories"],
               "women": ["women_tops", "women_shoes", "women_accessories"],
               "gear": ["gear_electronics", "gear_outdoor"],
               "home_living": ["home_kitchen", "home_decor"]},
    "print_catalog": {"print_spring": [], "print_autumn": []},
}
ASSOCIATION_TYPES = {"X_SELL": False, "UPSELL": False, "SUBSTITUTION": False, "PACK": True}

MEASUREMENT_FAMILIES = {
    "Weight": ("KILOGRAM", {"GRAM": ("0.001", "g"), "KILOGRAM": ("1", "kg"), "POUND": ("0.45359237", "lb")}),
    "Length": ("METER", {"CENTIMETER": ("0.01", "cm"), "METER": ("1", "m"), "INCH": ("0.0254", "in")}),
}


def labels(code: str) -> dict[str, str]:
    """Labels in every enabled locale, derived from the code so they are stable."""
    words = code.replace("_", " ")
    return {"en_US": words.title(), "fr_FR": f"{words.title()} (FR)", "de_DE": f"{words.title()} (DE)"}
