"""App catalogs: what Akeneo keeps about each catalog an App created, the rules that enable and
disable it, the products its selection picks, and the ground truth tests read.

Sources (pim-community-dev, components/catalogs/back/src/ unless said; the guide is
app-catalogs/catalogs.md of pim-api-docs):
- A catalog has an id (a random UUID v4: CreateCatalogAction, `Uuid::uuid4()`), a name, an
  owner (the App's user: catalogs are listed and read only by their owner,
  DenyAccessUnlessGrantedTrait::denyAccessUnlessOwnerOfCatalog), an enabled flag and a product
  selection (Domain/Catalog.php). New catalogs are disabled with the selection
  `[{"field": "enabled", "operator": "=", "value": true}]` (Application/Handler/
  CreateCatalogHandler.php; the guide: "By default, new catalogs are disabled and only users can
  enable a catalog"). `managed_currencies` / `managed_locales` come from the SaaS Swagger
  (app_catalog.yaml, app_catalog_creation.yaml, app_catalog_update.yaml); the Community code
  does not have them, so the sandbox stores and echoes them and nothing else.
- Each App can create up to 200 catalogs (the guide, "Limits"; Community code once said 15:
  Symfony/Resources/config/queries.yml, validators.en_US.yml "You can create up to 15 catalogs").
- Enabling and the selection are UI actions of a PIM user; the UI validates the whole catalog
  (Validation/CatalogUpdatePayload) and so refuses to enable a selection naming codes that no
  longer exist. The sandbox's admin API plays that user.
- Invalid selections get disabled two ways: the category-removal job (category_removal.py) and
  on read: GetProductsHandler / GetProductUuidsHandler run the query, and when it fails (the
  PQB throws ObjectNotFoundException on a family or category code that does not exist,
  Elasticsearch/Filter/Field/FamilyFilter.php and CategoryFilter.php) and IsCatalogValid says
  the catalog is invalid, they disable it (DisableCatalogQuery) and answer "disabled".
- The products a catalog serves are products, simple and variant, never product models:
  GetProductUuidsQuery reads `product_<uuid>` Elasticsearch ids only (a product model's id
  would throw "Invalid Elasticsearch identifier") and the items come from
  GetConnectorProducts::fromProductUuids. Their `updated` filter is the PQB's `updated`
  field, the one indexed stamp per product (a variant's newest of its own and its parent
  models', records.py), so the sandbox reuses its index (`Catalog.product_keys`).
"""

from __future__ import annotations

import dataclasses
import random
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.app_catalog_criteria import (
    InvalidSelection,
    Selection,
    check_structure,
    compile_selection,
    unknown_codes,
)
from akeneo_pipeline.sandbox.category_removal import category_subtree
from akeneo_pipeline.sandbox.filters import Intervals
from akeneo_pipeline.sandbox.products import product_item, uuid_str
from akeneo_pipeline.sandbox.records import random_uuid

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.catalog import Catalog

MAX_CATALOGS_PER_APP = 200
NAME_MAX = 255  # ServiceAPI/Command/CreateCatalogCommand.php: #[Assert\Length(min: 1, max: 255)]


def default_criteria() -> list[dict[str, Any]]:
    return [{"field": "enabled", "operator": "=", "value": True}]


class CatalogViolations(ValueError):
    """Akeneo's 422 "Validation failed." with its `errors` list (ViolationNormalizer: `property`
    is the tableized property path, `message` the violation's)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['property']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass
class AppCatalog:
    id: str
    name: str
    owner: str  # the App (its client id) whose user created it
    enabled: bool = False
    criteria: list[dict[str, Any]] = field(default_factory=default_criteria)
    managed_currencies: list[str] = field(default_factory=list)
    managed_locales: list[str] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        """The catalog object of app_catalog.yaml (Normalizer/Public/CatalogNormalizer: id, name,
        enabled; the SaaS Swagger adds the managed currencies and locales)."""
        return {"id": self.id, "name": self.name, "enabled": self.enabled,
                "managed_currencies": list(self.managed_currencies), "managed_locales": list(self.managed_locales)}


def _name_violations(name: Any) -> list[dict[str, str]]:
    """NotBlank + Length(min 1, max 255) on `name` (`$payload['name'] ?? ''`), messages as the
    Swagger's 422 example gives them. A name that is not a string is Akeneo's TypeError (a 500);
    the sandbox answers it as a violation instead."""
    if name is None or name == "":
        return [{"property": "name", "message": "This value should not be blank."},
                {"property": "name", "message": "This value is too short. It should have 1 character or more."}]
    if not isinstance(name, str):
        return [{"property": "name", "message": "This value should be of type string."}]
    if len(name) > NAME_MAX:
        return [{"property": "name", "message": f"This value is too long. It should have {NAME_MAX} characters "
                                                "or less."}]
    return []


def _code_list_violations(prop: str, value: Any) -> list[dict[str, str]]:
    if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return []
    return [{"property": prop, "message": "This value should be of type array of strings."}]


class AppCatalogs:
    """Every App catalog of the sandbox; guarded by the catalog's lock, like all its state."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._catalogs: dict[str, AppCatalog] = {}
        self._ids = random.Random(f"app-catalogs-{catalog.seed}")  # reproducible v4 uuids
        self._categories: dict[int, tuple[int, list[str]]] = {}  # product -> (version, generated categories)

    # ---- the REST API's side: what an App does ------------------------------------------
    def create(self, name: Any, owner: str, managed_currencies: Any = None,
               managed_locales: Any = None) -> AppCatalog:
        with self.catalog.lock:
            errors = (_name_violations(name) + _code_list_violations("managed_currencies", managed_currencies)
                      + _code_list_violations("managed_locales", managed_locales))
            if sum(c.owner == owner for c in self._catalogs.values()) >= MAX_CATALOGS_PER_APP:
                # MaxNumberOfCatalogsPerUser is a class constraint: no property path.
                errors.append({"property": "", "message": f"You can create up to {MAX_CATALOGS_PER_APP} catalogs"})
            if errors:
                raise CatalogViolations(errors)
            catalog_id = uuid_str(random_uuid(self._ids))
            while catalog_id in self._catalogs:
                catalog_id = uuid_str(random_uuid(self._ids))
            created = AppCatalog(catalog_id, name, owner, managed_currencies=list(managed_currencies or []),
                                 managed_locales=list(managed_locales or []))
            self._catalogs[catalog_id] = created
            return created

    def find(self, catalog_id: str) -> AppCatalog | None:
        with self.catalog.lock:
            return self._catalogs.get(catalog_id.lower())

    def owned(self, owner: str) -> list[AppCatalog]:
        """An App's catalogs in id order (GetCatalogsByOwnerUsernameQuery: `ORDER BY catalog.id`)."""
        with self.catalog.lock:
            return sorted((c for c in self._catalogs.values() if c.owner == owner), key=lambda c: c.id)

    def update(self, catalog_id: str, name: Any, managed_currencies: Any = None) -> AppCatalog:
        """PATCH: the name (required: `$payload['name'] ?? ''`) and, on SaaS, the managed currencies."""
        with self.catalog.lock:
            found = self._require(catalog_id)
            errors = _name_violations(name) + _code_list_violations("managed_currencies", managed_currencies)
            if errors:
                raise CatalogViolations(errors)
            found.name = name
            if managed_currencies is not None:
                found.managed_currencies = list(managed_currencies)
            return found

    def delete(self, catalog_id: str) -> None:
        with self.catalog.lock:
            self._catalogs.pop(self._require(catalog_id).id)

    # ---- the UI's side: what a PIM user does (the admin API) -----------------------------
    def set_selection(self, catalog_id: str, criteria: Any) -> None:
        """Save a product selection, refused as Akeneo's UI refuses an invalid one."""
        with self.catalog.lock:
            found = self._require(catalog_id)
            check_structure(criteria)
            reason = unknown_codes(criteria, *self._codes())
            if reason:
                raise InvalidSelection(reason)
            found.criteria = [dict(c) for c in criteria]

    def enable(self, catalog_id: str) -> None:
        with self.catalog.lock:
            found = self._require(catalog_id)
            reason = self.invalid_reason(found)
            if reason:
                raise InvalidSelection(f"catalog {found.id} cannot be enabled: {reason}")
            found.enabled = True

    def disable(self, catalog_id: str) -> None:
        with self.catalog.lock:
            self._require(catalog_id).enabled = False

    # ---- rules -----------------------------------------------------------------------------
    def invalid_reason(self, found: AppCatalog) -> str | None:
        """Why IsCatalogValid would fail for this catalog's selection, or None."""
        return unknown_codes(found.criteria, *self._codes())

    def disable_if_invalid(self, found: AppCatalog) -> bool:
        """On read: disable an enabled catalog whose selection no longer validates (True if it did)."""
        with self.catalog.lock:
            if found.enabled and self.invalid_reason(found) is not None:
                found.enabled = False
                return True
            return False

    def disable_on_category_removal(self, removed: set[str]) -> list[str]:
        """The `disable_catalogs_on_category_removal` job: enabled catalogs whose `categories`
        criteria overlap the removed codes (JSON_OVERLAPS, any operator) are disabled; their
        criteria stay as they were, so the catalog stays invalid until a user edits it."""
        with self.catalog.lock:
            hit = [c for c in self._catalogs.values() if c.enabled and any(
                criterion["field"] == "categories" and removed & set(criterion["value"]) for criterion in c.criteria)]
            for c in hit:
                c.enabled = False
            return sorted(c.id for c in hit)

    # ---- reading ---------------------------------------------------------------------------
    def selected(self, found: AppCatalog, updated: Intervals | None = None) -> array:
        """Indexes of the live products the selection picks, in uuid order, optionally only those
        whose indexed `updated` is in `updated`. A code that no longer exists matches nothing."""
        with self.catalog.lock:
            selection = self._compile(found)
            if selection.impossible:
                return array("l")
            f = dataclasses.replace(selection.filter, updated=updated)
            key = f"app-catalog:{selection.key()}:{updated}"
            if not selection.categories:
                return self.catalog.product_keys(f, key)

            def match() -> array:
                return array("l", (i for i in self.catalog.product_keys(f, key)
                                   if all(c.matches(self._categories_of(i)) for c in selection.categories)))

            return self.catalog._cached("app_catalog_products", key, match)

    def _compile(self, found: AppCatalog) -> Selection:
        categories = self.catalog.structure["categories"]
        return compile_selection(found.criteria, lambda code: category_subtree(categories, code))

    def _categories_of(self, i: int) -> list[str]:
        """Product i's categories as its item lists them, without counting a served item."""
        c = self.catalog
        version = c.products.version[i]
        cached = self._categories.get(i)
        if cached is None or cached[0] != version:
            item = product_item(c.products, c.models, i, c.seed, c.zone)
            cached = self._categories[i] = (version, item["categories"])
        return [code for code in cached[1] if code not in c.removed_categories]

    def _codes(self) -> tuple[set[str], set[str]]:
        s = self.catalog.structure
        return {f["code"] for f in s["families"]}, {c["code"] for c in s["categories"]}

    def _require(self, catalog_id: str) -> AppCatalog:
        found = self._catalogs.get(str(catalog_id).lower())
        if found is None:
            raise ValueError(f"app catalog {catalog_id!r} does not exist")
        return found

    # ---- ground truth for tests ------------------------------------------------------------
    def selected_uuids(self, catalog_id: str) -> set[str]:
        """The uuids of the live products the catalog's selection picks, whatever its state."""
        with self.catalog.lock:
            found = self._require(catalog_id)
            uuids = self.catalog.products.uuid
            return {uuid_str(uuids[i]) for i in self.selected(found)}

    def state(self, catalog_id: str) -> dict[str, Any]:
        """Everything about one catalog, including what the REST API does not show."""
        with self.catalog.lock:
            found = self._require(catalog_id)
            reason = self.invalid_reason(found)
            return {**found.public(), "owner": found.owner, "product_selection_criteria": [
                dict(c) for c in found.criteria], "valid": reason is None, "invalid_reason": reason,
                "selected_count": len(self.selected(found))}

    def states(self) -> list[dict[str, Any]]:
        with self.catalog.lock:
            return [self.state(catalog_id) for catalog_id in sorted(self._catalogs)]
