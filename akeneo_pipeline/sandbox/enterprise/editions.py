"""Which Akeneo edition serves what: the `edition` knob of SandboxConfig.

| edition      | Akeneo                              | reference entities, Asset Manager | table attributes |
|--------------|-------------------------------------|-----------------------------------|------------------|
| `community`  | Community Edition (CE), on-premise  | no                                | no               |
| `growth`     | Growth Edition (GE), SaaS           | no                                | yes              |
| `enterprise` | Enterprise Edition (EE), on-premise | yes                               | yes              |
| `serenity`   | Enterprise Edition on SaaS          | yes                               | yes              |

Sources:
- Reference entities and the Asset Manager are Enterprise only: the Swagger file marks every
  `/reference-entities` and `/asset-families` path `x-ee: true`; pim-api-docs
  content/concepts/reference-entities.md ("an Enterprise only feature") and asset-manager.md ("an
  Entreprise only feature"); docs/concepts_catalog-structure.md lists `akeneo_reference_entity`,
  `akeneo_reference_entity_collection` and `pim_catalog_asset_collection` as "Enterprise Edition
  only".
- Table attributes: docs/concepts_catalog-structure.md, "Table (Growth and Enterprise editions
  only) | pim_catalog_table"; docs/concepts_products.md, table values "availability
  versions=6.0,7.0,SaaS editions=EE,GE". So CE (open source) has none, Growth has them.
- `/system-information` (Swagger, versions 6.0 and 7.0, no token) gives, per environment:
  Serenity EE -> edition `Serenity`, version `v20230112013744`; Serenity CE -> `GE`,
  `v20210526040645`; PaaS or onPrem EE -> `EE`, `6.0.28`; PaaS or onPrem CE -> `CE`, `6.0.28`.
- SaaS-only value fields: docs/concepts_products.md says product values carry `attribute_type`
  and `reference_data_name` "Only available in the SaaS version"; pim-api-docs asset-manager.md
  gives asset values `attribute_type` and media file values `_links` (download, share_link) with
  "availability versions=SaaS". The sandbox adds `attribute_type` and `_links.download` to asset
  values on `serenity` only (product values keep the on-premise form on every edition).

In a Community or Growth sandbox the missing routes answer 404 "No route found", are absent from
the route list, and their attribute types are absent from `/attributes`, as on a real CE.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    name: str
    reference_entities: bool  # /reference-entities, akeneo_reference_entity(_collection) attributes
    assets: bool  # /asset-families (Asset Manager), pim_catalog_asset_collection attributes
    table_attributes: bool  # pim_catalog_table attributes
    saas: bool
    system_edition: str  # `edition` of /system-information

    @property
    def any(self) -> bool:
        return self.reference_entities or self.assets or self.table_attributes


EDITIONS: dict[str, Edition] = {
    "community": Edition("community", False, False, False, False, "CE"),
    "growth": Edition("growth", False, False, True, True, "GE"),
    "enterprise": Edition("enterprise", True, True, True, False, "EE"),
    "serenity": Edition("serenity", True, True, True, True, "Serenity"),
}

# /system-information versions by edition (Swagger's table); on-premise ones follow akeneo_version.
SAAS_VERSIONS = {"growth": "v20210526040645", "serenity": "v20230112013744"}


def edition(name: str) -> Edition:
    return EDITIONS[name]


def system_information(name: str, akeneo_version: int) -> dict[str, str]:
    """`GET /api/rest/v1/system-information` for the edition played."""
    played = EDITIONS[name]
    if played.saas:
        return {"version": SAAS_VERSIONS[name], "edition": played.system_edition}
    return {"version": "6.0.28" if akeneo_version == 6 else "7.0.0", "edition": played.system_edition}
