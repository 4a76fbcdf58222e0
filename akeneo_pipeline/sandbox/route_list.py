"""`GET /api/rest/v1`: the route list, as the Akeneo version being played serves it.

Shape from pim-community-dev's RootEndpointController
(src/Akeneo/Tool/Bundle/ApiBundle/Controller/RootEndpointController.php): `host` is the
request's scheme and host; every Symfony route whose path starts with `/api` is listed
by route name as `{"route": path, "methods": [...]}`, under `authentication` when the
path starts with `/api/oauth`, else under `routes`. No token is needed (the Swagger
file: `x-no-token`, "No need to be authenticated", versions 1.7 to 7.0).

Route names and paths follow pim-community-dev's routing files (for products:
src/Akeneo/Pim/Enrichment/Bundle/Resources/config/routing/external_api/product.yml,
where `pim_api_product_uuid_list` and the other `/products-uuid` routes appear with
7.0; the Swagger file gives `/products-uuid` `x-versions: ["7.0"]` and `/products`
1.7 to 7.0). Only the GET routes the sandbox serves are listed, plus the writes of
the same paths, so a client sees a list shaped like the real one.
"""

from __future__ import annotations

from typing import Any

from akeneo_pipeline.sandbox.enterprise.editions import EDITIONS
from akeneo_pipeline.sandbox.enterprise.editions import system_information as edition_system_information

API = "/api/rest/v1"

# (route name, path under /api/rest/v1, methods, first major version serving it)
ROUTES: list[tuple[str, str, list[str], int]] = [
    ("pim_api_locale_list", "/locales", ["GET"], 1),
    ("pim_api_locale_get", "/locales/{code}", ["GET"], 1),
    ("pim_api_channel_list", "/channels", ["GET"], 1),
    ("pim_api_channel_get", "/channels/{code}", ["GET"], 1),
    ("pim_api_currency_list", "/currencies", ["GET"], 1),
    ("pim_api_currency_get", "/currencies/{code}", ["GET"], 1),
    ("pim_api_attribute_list", "/attributes", ["GET"], 1),
    ("pim_api_attribute_get", "/attributes/{code}", ["GET"], 1),
    ("pim_api_attribute_option_list", "/attributes/{attributeCode}/options", ["GET"], 1),
    ("pim_api_attribute_option_get", "/attributes/{attributeCode}/options/{code}", ["GET"], 1),
    ("pim_api_attribute_group_list", "/attribute-groups", ["GET"], 2),
    ("pim_api_attribute_group_get", "/attribute-groups/{code}", ["GET"], 2),
    ("pim_api_family_list", "/families", ["GET"], 1),
    ("pim_api_family_get", "/families/{code}", ["GET"], 1),
    ("pim_api_family_variant_list", "/families/{familyCode}/variants", ["GET"], 2),
    ("pim_api_family_variant_get", "/families/{familyCode}/variants/{code}", ["GET"], 2),
    ("pim_api_category_list", "/categories", ["GET"], 1),
    ("pim_api_category_get", "/categories/{code}", ["GET"], 1),
    ("pim_api_association_type_list", "/association-types", ["GET"], 2),
    ("pim_api_association_type_get", "/association-types/{code}", ["GET"], 2),
    ("pim_api_measurement_family_list", "/measurement-families", ["GET"], 5),
    ("pim_api_product_model_list", "/product-models", ["GET"], 2),
    ("pim_api_product_model_get", "/product-models/{code}", ["GET"], 2),
    ("pim_api_product_list", "/products", ["GET"], 1),
    ("pim_api_product_create", "/products", ["POST"], 1),
    ("pim_api_product_get", "/products/{code}", ["GET"], 1),
    ("pim_api_product_partial_update", "/products/{code}", ["PATCH"], 1),
    ("pim_api_product_uuid_list", "/products-uuid", ["GET"], 7),
    ("pim_api_product_uuid_create", "/products-uuid", ["POST"], 7),
    ("pim_api_product_uuid_get", "/products-uuid/{uuid}", ["GET"], 7),
    ("pim_api_product_uuid_partial_update", "/products-uuid/{uuid}", ["PATCH"], 7),
    ("pim_api_system_information_get", "/system-information", ["GET"], 6),
    # App catalogs (SaaS; the sandbox's 7 plays 7.x/SaaS): names and paths from pim-community-dev
    # components/catalogs/back/src/Infrastructure/Symfony/Resources/config/routing/public.yml. The
    # version read has no `/products/{uuid}` route; its name here follows the file's pattern.
    ("akeneo_catalogs_public_create_catalog", "/catalogs", ["POST"], 7),
    ("akeneo_catalogs_public_get_catalogs", "/catalogs", ["GET"], 7),
    ("akeneo_catalogs_public_get_catalog", "/catalogs/{id}", ["GET"], 7),
    ("akeneo_catalogs_public_update_catalog", "/catalogs/{id}", ["PATCH"], 7),
    ("akeneo_catalogs_public_delete_catalog", "/catalogs/{id}", ["DELETE"], 7),
    ("akeneo_catalogs_public_get_product_uuids", "/catalogs/{id}/product-uuids", ["GET"], 7),
    ("akeneo_catalogs_public_get_products", "/catalogs/{id}/products", ["GET"], 7),
    ("akeneo_catalogs_public_get_product", "/catalogs/{id}/products/{uuid}", ["GET"], 7),
]


# Enterprise routes, (route name, path, methods, edition feature), as the Enterprise bundles' routing
# files name them (pim-community-dev, src/Akeneo/ReferenceEntity/back/Infrastructure/Symfony/Resources/
# config/routing.yml and src/Akeneo/AssetManager/back/.../routing.yml, "# API Connector"): `akeneo_...`,
# not `pim_api_...`, with the routing files' placeholder names. Routes declared there without `methods`
# (the two list routes and the entity/family create-or-update ones) accept every method, and the root
# endpoint lists them with an empty `methods`, as RootEndpointController copies `$route->getMethods()`.
# The reference entity attribute options list has no route in the routing file version read; the sandbox
# names it after its Asset Manager twin. The media file routes are not served (metadata only).
RE = "/reference-entities"
AF = "/asset-families"
ENTERPRISE_ROUTES: list[tuple[str, str, list[str], str]] = [
    ("akeneo_reference_entities_reference_entities_rest_connector_get", RE, [], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_rest_connector_get", RE + "/{code}", ["GET"], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_rest_connector_create_or_update",
     RE + "/{referenceEntityIdentifier}", [], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_attributes_rest_connector_get",
     RE + "/{referenceEntityIdentifier}/attributes", ["GET"], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_attribute_rest_connector_get",
     RE + "/{referenceEntityIdentifier}/attributes/{code}", ["GET"], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_attribute_options_rest_connector_get",
     RE + "/{referenceEntityIdentifier}/attributes/{attributeCode}/options", ["GET"], "reference_entities"),
    ("akeneo_reference_entities_reference_entity_attribute_option_rest_connector_get",
     RE + "/{referenceEntityIdentifier}/attributes/{attributeCode}/options/{optionCode}", ["GET"],
     "reference_entities"),
    ("akeneo_reference_entities_record_rest_connector_get", RE + "/{referenceEntityIdentifier}/records/{code}",
     ["GET"], "reference_entities"),
    ("akeneo_reference_entities_records_rest_connector_get", RE + "/{referenceEntityIdentifier}/records", ["GET"],
     "reference_entities"),
    ("akeneo_reference_entities_record_rest_connector_create_or_update",
     RE + "/{referenceEntityIdentifier}/records/{code}", ["PATCH"], "reference_entities"),
    ("akeneo_reference_entities_records_rest_connector_create_or_update",
     RE + "/{referenceEntityIdentifier}/records", ["PATCH"], "reference_entities"),
    ("akeneo_asset_manager_asset_family_rest_connector_get", AF + "/{code}", ["GET"], "assets"),
    ("akeneo_asset_manager_asset_families_rest_connector_get", AF, [], "assets"),
    ("akeneo_asset_manager_asset_family_rest_connector_create_or_update", AF + "/{assetFamilyIdentifier}", [],
     "assets"),
    ("akeneo_asset_manager_asset_family_attributes_rest_connector_get", AF + "/{assetFamilyIdentifier}/attributes",
     ["GET"], "assets"),
    ("akeneo_asset_manager_asset_family_attribute_rest_connector_get",
     AF + "/{assetFamilyIdentifier}/attributes/{code}", ["GET"], "assets"),
    ("akeneo_asset_manager_asset_family_attribute_option_rest_connector_get",
     AF + "/{assetFamilyIdentifier}/attributes/{attributeCode}/options/{optionCode}", ["GET"], "assets"),
    ("akeneo_asset_manager_asset_family_attribute_options_rest_connector_get",
     AF + "/{assetFamilyIdentifier}/attributes/{attributeCode}/options", ["GET"], "assets"),
    ("akeneo_asset_manager_asset_rest_connector_get", AF + "/{assetFamilyIdentifier}/assets/{code}", ["GET"],
     "assets"),
    ("akeneo_asset_manager_assets_rest_connector_get", AF + "/{assetFamilyIdentifier}/assets", ["GET"], "assets"),
    ("akeneo_asset_manager_asset_rest_connector_create_or_update", AF + "/{assetFamilyIdentifier}/assets/{code}",
     ["PATCH"], "assets"),
    ("akeneo_asset_manager_assets_rest_connector_create_or_update", AF + "/{assetFamilyIdentifier}/assets",
     ["PATCH"], "assets"),
]


def route_list(host: str, version: int, edition: str = "community") -> dict[str, Any]:
    """The root endpoint's answer for Akeneo `version` (6 or 7) and `edition` at `host`."""
    played = EDITIONS[edition]
    routes = {name: {"route": API + path, "methods": methods} for name, path, methods, since in ROUTES
              if since <= version}
    routes.update({name: {"route": API + path, "methods": methods}
                   for name, path, methods, feature in ENTERPRISE_ROUTES if getattr(played, feature)})
    return {
        "host": host,
        "authentication": {"fos_oauth_server_token": {"route": "/api/oauth/v1/token", "methods": ["POST"]}},
        "routes": routes,
    }


def system_information(version: int, edition: str = "community") -> dict[str, str]:
    """`GET /api/rest/v1/system-information` (versions 6.0 and 7.0, no token): the Swagger file's table,
    e.g. "PaaS or onPrem CE", edition `CE`, version `6.0.28` (enterprise/editions.py)."""
    return edition_system_information(edition, version)
