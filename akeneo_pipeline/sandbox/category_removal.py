"""Deleting a category, as a PIM user does in the UI (the REST API cannot: the Swagger file gives
`/categories/{code}` GET and PATCH only).

What it does, after pim-community-dev:
- the category goes with its whole subtree: CategoryRemovalSubscriber (components/catalogs/back/
  src/Infrastructure/EventSubscriber/) reads "all the child's codes linked to it" before the
  delete because they are deleted with it (GetAllCategoryCodesFromParentCategoryCodeQuery);
- products stop being classified in the removed codes (the links go with the category), so
  items no longer list them;
- then App catalogs are told: the subscriber launches the `disable_catalogs_on_category_removal`
  job, whose query (Persistence/Catalog/GetCatalogIdsContainingCategoriesQuery.php) selects the
  enabled catalogs having a `categories` criterion whose value overlaps the removed codes, and
  disables them (DisableCatalogsQuery). The job is queued; `run_job=False` leaves it unrun, and
  the catalogs are then disabled by the first read of their products instead (app_catalogs.py,
  `disable_if_invalid`), as Akeneo's handlers do when the query fails on a missing category.

Whether Akeneo re-stamps `updated` on the products it unclassifies is not in the documents or
the code read; the sandbox leaves their stamps alone, so a product that leaves a selection
this way is seen by a key scan (`/catalogs/{id}/product-uuids`), not by an `updated` window.
Tree roots are refused: every tree of the sandbox is a channel's category tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.catalog import Catalog


def category_subtree(categories: list[dict[str, Any]], code: str) -> set[str]:
    """`code`'s descendants (not `code` itself) among structure category items."""
    children: dict[str, list[str]] = {}
    for item in categories:
        if item["parent"] is not None:
            children.setdefault(item["parent"], []).append(item["code"])
    out: set[str] = set()
    stack = list(children.get(code, []))
    while stack:
        child = stack.pop()
        out.add(child)
        stack.extend(children.get(child, []))
    return out


def remove_category(catalog: Catalog, code: str, run_job: bool = True) -> list[str]:
    """Delete category `code` and its subtree; returns the removed codes, sorted."""
    with catalog.lock:
        categories = catalog.structure["categories"]
        item = next((c for c in categories if c["code"] == code), None)
        if item is None:
            raise ValueError(f"category {code!r} does not exist")
        if item["parent"] is None:
            raise ValueError(f"category {code!r} is a tree root; the sandbox removes only categories under a "
                             "root (each of its trees is a channel's category tree)")
        removed = {code} | category_subtree(categories, code)
        catalog._rng()  # a new catalog generation: cached match lists are rebuilt
        catalog.structure["categories"] = [c for c in categories if c["code"] not in removed]
        catalog.removed_categories |= removed
        if run_job:
            catalog.app_catalogs.disable_on_category_removal(removed)
        return sorted(removed)
