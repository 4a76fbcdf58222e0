"""The endpoints as data: name, path, key, and whether the list is paginated.

None of the catalog streams can be filtered on `updated` reliably across the board (options,
family variants, channels, locales, currencies, association types and measurement
families have no such filter), so each is re-read whole on every run; they are small.
Products and product models (`RECORD_STREAMS`) are read in time windows instead (records.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

API = "/api/rest/v1"


@dataclass(frozen=True)
class Stream:
    name: str
    path: str
    key: str = "code"
    paginated: bool = True
    # Sub-resource read once per parent code: `{code}` in path is the parent's code.
    parent: str | None = None
    parent_field: str | None = None
    # Query parameters every list request of the stream sends.
    params: tuple[tuple[str, str], ...] = ()


CATALOG_STREAMS: dict[str, Stream] = {
    s.name: s
    for s in (
        Stream("channels", f"{API}/channels"),
        Stream("locales", f"{API}/locales"),
        Stream("currencies", f"{API}/currencies"),
        Stream("attribute_groups", f"{API}/attribute-groups"),
        Stream("attributes", f"{API}/attributes"),
        Stream("families", f"{API}/families"),
        Stream("family_variants", f"{API}/families/{{code}}/variants", parent="families", parent_field="family"),
        # `position` comes only when asked (Swagger: `with_position`, from 7.0; older PIMs ignore the
        # unknown parameter and serve no position, so categories.position stays null there).
        Stream("categories", f"{API}/categories", params=(("with_position", "true"),)),
        Stream("association_types", f"{API}/association-types"),
        Stream("measurement_families", f"{API}/measurement-families", paginated=False),
    )
}

ATTRIBUTE_OPTIONS = Stream(
    "attribute_options", f"{API}/attributes/{{code}}/options", parent="attributes", parent_field="attribute"
)
PRODUCTS = Stream("products", f"{API}/products-uuid", key="uuid")
# Akeneo 6: no /products-uuid (Swagger `x-versions: ["7.0"]`); products are listed at
# /products, keyed by identifier, with search_after paging too (docs/rest-api_pagination.md).
PRODUCTS_BY_IDENTIFIER = Stream("products", f"{API}/products", key="identifier")
PRODUCT_MODELS = Stream("product_models", f"{API}/product-models")
RECORD_STREAMS: dict[str, Stream] = {PRODUCTS.name: PRODUCTS, PRODUCT_MODELS.name: PRODUCT_MODELS}

# Attribute types whose options Akeneo serves at /attributes/{code}/options. Reference-data
# selects take their values from reference data instead: asking there would fail the read.
OPTION_ATTRIBUTE_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


def catalog_stream(name: str) -> Stream:
    try:
        return CATALOG_STREAMS[name]
    except KeyError:
        raise ValueError(
            f"unknown catalog stream {name!r}; expected one of: {', '.join(CATALOG_STREAMS)}"
        ) from None


def record_stream(name: str) -> Stream:
    try:
        return RECORD_STREAMS[name]
    except KeyError:
        raise ValueError(f"unknown stream {name!r}; expected 'products' or 'product_models'") from None


def child_path(stream: Stream, parent_code: str) -> str:
    """The sub-resource path for one parent; codes are URL-escaped (they may hold spaces)."""
    return stream.path.replace("{code}", quote(parent_code, safe=""))
