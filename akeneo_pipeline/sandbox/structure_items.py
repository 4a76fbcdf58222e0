"""Turn the tables of `structure.py` into Akeneo-shaped items, one list per stream.

Items are plain dicts exactly as the REST API returns them (without `_links`);
`updated` is kept as epoch seconds under the private key `_updated` and rendered
by the API, so filters compare integers rather than re-parsing strings.
"""

from __future__ import annotations

import random
from typing import Any

from akeneo_pipeline.sandbox import structure as s


def build_structure(seed: int, anchor: int, history_days: int, extra_selects: int = 0,
                    options_per_extra: int = 0) -> dict[str, list[dict[str, Any]]]:
    """All catalog-structure streams for one seed. Family variants carry `_family`. `extra_selects`
    more simple select attributes (`picklist_0001`...) with `options_per_extra` options each
    make a large catalog's picklists."""
    rng = random.Random(f"structure-{seed}")

    def past() -> int:
        return anchor - rng.randrange(3 * 86400, history_days * 86400)

    out: dict[str, list[dict[str, Any]]] = {}
    out["locales"] = [{"code": c, "enabled": c in s.LOCALES} for c in sorted(s.LOCALES + s.DISABLED_LOCALES)]
    out["currencies"] = [{"code": c, "enabled": en, "label": label} for c, (label, en) in s.CURRENCIES.items()]
    out["channels"] = [
        {"code": code, "locales": locs, "currencies": curs, "category_tree": tree,
         "conversion_units": {}, "labels": s.labels(code)}
        for code, (locs, curs, tree) in s.CHANNELS.items()
    ]
    out["attribute_groups"] = [
        {"code": g, "sort_order": i, "attributes": [a for a, spec in s.ATTRIBUTES.items() if spec[1] == g],
         "labels": s.labels(g), "_updated": past()}
        for i, g in enumerate(s.GROUPS)
    ]
    out["attributes"] = [attribute_item(code, i, past()) for i, code in enumerate(s.ATTRIBUTES)]
    out["attribute_options"] = [
        {"code": code, "attribute": attr, "sort_order": i,
         "labels": {"en_US": en, "fr_FR": fr, "de_DE": de} if attr != "size" else {"en_US": en, "fr_FR": fr}}
        for attr, words in s.OPTION_WORDS.items()
        for i, (code, fr, de) in enumerate(words)
        for en in [code.replace("_", " ").title() if attr != "size" else fr]
    ]
    extra = [f"picklist_{n:04d}" for n in range(1, extra_selects + 1)]
    out["attributes"] += [attribute_item(code, len(s.ATTRIBUTES) + i, past(), EXTRA_SELECT)
                          for i, code in enumerate(extra)]
    out["attribute_options"] += [
        {"code": f"value_{n:05d}", "attribute": attr, "sort_order": n, "labels": s.labels(f"{attr} value {n}")}
        for attr in extra for n in range(1, options_per_extra + 1)
    ]
    out["attribute_groups"][[g["code"] for g in out["attribute_groups"]].index(EXTRA_SELECT[1])][
        "attributes"] += extra
    out["families"] = []
    out["family_variants"] = []
    for code, (attributes, variants) in s.FAMILIES.items():
        out["families"].append({
            "code": code, "attribute_as_label": "name", "attribute_as_image": None, "attributes": attributes,
            "attribute_requirements": {ch: ["sku", "name"] for ch in s.CHANNELS}, "labels": s.labels(code),
            "_updated": past(),
        })
        for variant_code, levels in variants.items():
            variant_attrs = {a for _, _, attrs in levels for a in attrs}
            out["family_variants"].append({
                "_family": code, "code": variant_code,
                "common_attributes": [a for a in attributes if a not in variant_attrs],
                "variant_attribute_sets": [{"level": lvl, "axes": axes, "attributes": attrs}
                                           for lvl, axes, attrs in levels],
                "labels": s.labels(variant_code),
            })
    out["categories"] = []
    for root, children in s.CATEGORY_TREE.items():
        out["categories"].append(category_item(root, None, 1, past()))
        for pos, (child, leaves) in enumerate(children.items(), start=1):
            out["categories"].append(category_item(child, root, pos, past()))
            out["categories"].extend(category_item(leaf, child, p, past()) for p, leaf in enumerate(leaves, 1))
    out["association_types"] = [
        {"code": c, "labels": s.labels(c), "is_quantified": q, "is_two_way": False}
        for c, q in s.ASSOCIATION_TYPES.items()
    ]
    out["measurement_families"] = [
        {"code": fam, "labels": s.labels(fam), "standard_unit_code": std,
         "units": {u: {"code": u, "labels": s.labels(u), "symbol": sym,
                       "convert_from_standard": [{"operator": "mul", "value": factor}]}
                   for u, (factor, sym) in units.items()}}
        for fam, (std, units) in s.MEASUREMENT_FAMILIES.items()
    ]
    return out


EXTRA_SELECT: tuple[str, str, bool, bool, dict[str, Any]] = ("pim_catalog_simpleselect", "technical", False, False,
                                                              {})


def attribute_item(code: str, sort_order: int, updated: int, spec: tuple | None = None) -> dict[str, Any]:
    type_, group, localizable, scopable, extra = spec or s.ATTRIBUTES[code]
    return {
        "code": code, "type": type_, "group": group, "labels": s.labels(code), "group_labels": s.labels(group),
        "sort_order": sort_order, "localizable": localizable, "scopable": scopable, "available_locales": [],
        "unique": extra.get("unique", False), "useable_as_grid_filter": True,
        # Akeneo serves these on every attribute, null where the type has none (the attribute
        # example of docs/concepts_catalog-structure.md: "metric_family": null, "reference_data_name": null).
        "metric_family": None, "default_metric_unit": None, "reference_data_name": None,
        **{k: v for k, v in extra.items() if k != "unique"}, "_updated": updated,
    }


def category_item(code: str, parent: str | None, position: int, updated: int) -> dict[str, Any]:
    return {"code": code, "parent": parent, "position": position, "labels": s.labels(code),
            "values": {}, "channel_requirements": [], "_updated": updated}
