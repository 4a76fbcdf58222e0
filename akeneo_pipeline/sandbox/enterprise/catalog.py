"""`EnterpriseCatalog`: the Enterprise and Growth data of a sandbox catalog (reference entities,
asset families, table select options), how each item is rendered for the API, and the ground truth
tests compare against (`Catalog.enterprise`).

Ground truth is what the API serves, without `_links` (top level and inside values), since links
depend on the base URL: compare API answers through `strip_links`.
"""

from __future__ import annotations

import copy
from datetime import tzinfo
from typing import Any
from urllib.parse import quote

from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.enterprise import assets as am
from akeneo_pipeline.sandbox.enterprise import reference_entities as re_
from akeneo_pipeline.sandbox.enterprise import table_attributes as tables
from akeneo_pipeline.sandbox.enterprise.editions import Edition, edition
from akeneo_pipeline.sandbox.enterprise.items import Item, filter_values
from akeneo_pipeline.sandbox.enterprise.product_attributes import ATTRIBUTES, ProductValues, served
from akeneo_pipeline.sandbox.products import iso

API = "/api/rest/v1"


def strip_links(obj: Any) -> Any:
    """`obj` without any `_links` key, at any depth."""
    if isinstance(obj, dict):
        return {k: strip_links(v) for k, v in obj.items() if k != "_links"}
    if isinstance(obj, list):
        return [strip_links(v) for v in obj]
    return obj


def self_link(base: str, path: str) -> dict[str, Any]:
    return {"self": {"href": f"{base}{path}"}}


class EnterpriseCatalog:
    def __init__(self, config: SandboxConfig, anchor: int, zone: tzinfo) -> None:
        self.zone = zone  # the server's time zone, which stamps are rendered in
        self.edition: Edition = edition(config.edition)
        ed = self.edition
        self.reference_entities: dict[str, re_.ReferenceEntity] = (
            re_.build(config.seed, anchor, config.history_days, config.reference_entity_records)
            if ed.reference_entities else {})
        self.asset_families: dict[str, am.AssetFamily] = (
            am.build(config.seed, anchor, config.history_days, config.assets_per_family) if ed.assets else {})
        # attribute -> column -> options, for the table attributes the edition has
        self.table_options: dict[str, dict[str, list[dict[str, Any]]]] = {
            ATTRIBUTES[code][2]: tables.initial_options(ATTRIBUTES[code][2])
            for code in served(ed) if ATTRIBUTES[code][0] == "pim_catalog_table"}
        targets = {code: e.initial_codes for code, e in self.reference_entities.items()}
        targets.update({code: f.initial_codes for code, f in self.asset_families.items()})
        self.product_values: ProductValues | None = ProductValues(ed, targets) if served(ed) else None

    # ---- lookups (ValueError naming what is missing: the admin API answers 422 with it) ----------
    def entity(self, code: str) -> re_.ReferenceEntity:
        if not self.edition.reference_entities:
            raise ValueError(f"the sandbox plays the {self.edition.name} edition, which has no reference entities "
                             "(set edition=enterprise or serenity)")
        if code not in self.reference_entities:
            raise ValueError(f"reference entity {code!r} does not exist")
        return self.reference_entities[code]

    def family(self, code: str) -> am.AssetFamily:
        if not self.edition.assets:
            raise ValueError(f"the sandbox plays the {self.edition.name} edition, which has no Asset Manager "
                             "(set edition=enterprise or serenity)")
        if code not in self.asset_families:
            raise ValueError(f"asset family {code!r} does not exist")
        return self.asset_families[code]

    def table_column_options(self, attribute: str, column: str) -> list[dict[str, Any]]:
        if not self.edition.table_attributes:
            raise ValueError(f"the sandbox plays the {self.edition.name} edition, which has no table attributes "
                             "(set edition=growth, enterprise or serenity)")
        if attribute not in self.table_options:
            raise ValueError(f"table attribute {attribute!r} does not exist")
        if column not in self.table_options[attribute]:
            raise ValueError(f"table attribute {attribute!r} has no select column {column!r}")
        return self.table_options[attribute][column]

    # ---- rendering -------------------------------------------------------------------------------
    def entity_item(self, entity: re_.ReferenceEntity, base: str, in_list: bool) -> dict[str, Any]:
        links: dict[str, Any] = self_link(base, f"{API}/reference-entities/{quote(entity.code)}") if in_list else {}
        if entity.image:
            links["image_download"] = {"href": f"{base}{re_.MEDIA_FILES}/{entity.image}"}
        item = {"code": entity.code, "labels": dict(entity.labels), "image": entity.image}
        return {"_links": links, **item} if links else item

    def record_item(self, entity: re_.ReferenceEntity, record: Item, zone: tzinfo, base: str | None,
                    channel: str | None = None, locales: list[str] | None = None,
                    in_list: bool = False) -> dict[str, Any]:
        values = filter_values(record.values, channel, locales)
        if base is not None:  # AddHalDownloadLinkToRecordImages: every image attribute's filled values
            for attr in entity.attributes:
                if attr["type"] == "image":
                    for value in values.get(attr["code"], []):
                        if value.get("data"):
                            value["_links"] = {"download": {"href": f"{base}{re_.MEDIA_FILES}/{value['data']}"}}
        item = {"code": record.code, "values": values, "created": iso(record.created, zone),
                "updated": iso(record.updated, zone)}
        if in_list and base is not None:
            path = f"{API}/reference-entities/{quote(entity.code)}/records/{quote(record.code, safe='')}"
            return {"_links": self_link(base, path), **item}
        return item

    def family_item(self, family: am.AssetFamily, base: str | None, in_list: bool) -> dict[str, Any]:
        item = family.item()
        if in_list and base is not None:
            return {"_links": self_link(base, f"{API}/asset-families/{quote(family.code)}"), **item}
        return item

    def asset_item(self, family: am.AssetFamily, asset: Item, zone: tzinfo, base: str | None,
                   channel: str | None = None, locales: list[str] | None = None,
                   in_list: bool = False) -> dict[str, Any]:
        values = filter_values(asset.values, channel, locales)
        if self.edition.saas:  # SaaS-only value fields (asset-manager.md, availability SaaS)
            for attr in family.attributes:
                for value in values.get(attr["code"], []):
                    value["attribute_type"] = attr["type"]
                    if attr["type"] == "media_file" and base is not None and value.get("data"):
                        value["_links"] = {"download": {"href": f"{base}{am.MEDIA_FILES}/{value['data']}"}}
        item = {"code": asset.code, "asset_family_code": family.code, "values": values,
                "created": iso(asset.created, zone), "updated": iso(asset.updated, zone)}
        if in_list and base is not None:
            path = f"{API}/asset-families/{quote(family.code)}/assets/{quote(asset.code, safe='')}"
            return {"_links": self_link(base, path), **item}
        return item

    def with_select_options(self, attribute: dict[str, Any]) -> dict[str, Any]:
        """An `/attributes` item as `with_table_select_options=true` serves it (TableAttributeNormalizer)."""
        options = self.table_options.get(attribute["code"])
        if attribute.get("type") != "pim_catalog_table" or options is None:
            return attribute
        out = dict(attribute, table_configuration=[dict(c) for c in attribute["table_configuration"]])
        for col in out["table_configuration"]:
            if col["data_type"] == "select":
                col["options"] = copy.deepcopy(options.get(col["code"], []))
        return out

    # ---- ground truth: what the API serves, without _links ---------------------------------------
    def reference_entity_items(self) -> list[dict[str, Any]]:
        return [strip_links(self.entity_item(e, "", False)) for _, e in sorted(self.reference_entities.items())]

    def reference_entity_attributes(self, entity: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.entity(entity).attributes)

    def reference_entity_attribute_options(self, entity: str, attribute: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.entity(entity).options.get(attribute, []))

    def records(self, entity: str) -> list[dict[str, Any]]:
        e = self.entity(entity)
        return [self.record_item(e, r, self.zone, None) for r in e.records]

    def asset_family_items(self) -> list[dict[str, Any]]:
        return [self.family_item(f, None, False) for _, f in sorted(self.asset_families.items())]

    def asset_family_attributes(self, family: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.family(family).attributes)

    def asset_family_attribute_options(self, family: str, attribute: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.family(family).options.get(attribute, []))

    def assets(self, family: str) -> list[dict[str, Any]]:
        f = self.family(family)
        return [strip_links(self.asset_item(f, a, self.zone, None)) for a in f.assets]

    def table_select_options(self, attribute: str, column: str) -> list[dict[str, Any]]:
        return copy.deepcopy(self.table_column_options(attribute, column))
