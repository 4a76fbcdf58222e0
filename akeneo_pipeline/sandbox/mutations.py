"""What a merchandiser does between two pipeline runs, applied to the sandbox catalog: the public
mutation API of `Catalog` (catalog.py), combined from one module per thing mutated.

    mutation_state.py       the state edited; generation bump, seeded draws, `updated` stamps
    product_mutations.py    products and product models (update, create, delete, restore, override)
    structure_mutations.py  attribute options and attributes
    (this file)             credentials: the password and App tokens of the token store

Each mutation bumps the catalog generation (so cached queries are rebuilt) and
stamps `updated` with `Catalog.now()`, which never goes backwards, or, for edits of
products and product models, at a chosen second `at` of the past. Which
products are touched is drawn from a seeded generator unless the caller names them:
the same calls give the same changes. Bad input raises ValueError naming the cause;
nothing is half-applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from akeneo_pipeline.sandbox.product_mutations import ProductMutations
from akeneo_pipeline.sandbox.structure_mutations import StructureMutations

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.auth import TokenStore


class CatalogMutations(ProductMutations, StructureMutations):
    """Mixed into `Catalog` (catalog.py): every mutation of its products, structure and credentials."""

    def change_password(self, new_password: str) -> None:
        self._tokens().change_password(new_password)

    def revoke_app_tokens(self) -> int:
        return self._tokens().revoke_app_tokens()

    def _tokens(self) -> TokenStore:
        if self.auth is None:
            raise RuntimeError("this catalog has no token store: credentials change only on a SandboxServer's catalog")
        return self.auth
