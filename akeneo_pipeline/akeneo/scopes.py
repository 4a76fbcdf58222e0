"""Which Akeneo App scopes the pipeline needs, and which of them a token lacks.

Akeneo documents that any permission to write a resource includes the permission
to read it, so `write_products` satisfies `read_products`.
"""

from __future__ import annotations

from collections.abc import Iterable

REQUIRED_SCOPES: tuple[str, ...] = (
    "read_products",
    "read_catalog_structure",
    "read_attribute_options",
    "read_categories",
    "read_channel_settings",
    "read_channel_localization",
    "read_association_types",
)


def parse_scopes(granted: str | Iterable[str] | None) -> set[str]:
    """Scopes as Akeneo sends them (one space-separated string) or as a collection."""
    if granted is None:
        return set()
    if isinstance(granted, str):
        return set(granted.split())
    return {scope.strip() for scope in granted if scope.strip()}


def missing_scopes(granted: str | Iterable[str] | None, required: Iterable[str] = REQUIRED_SCOPES) -> list[str]:
    """The required scopes not granted (in the order of `required`); empty when all is well."""
    have = parse_scopes(granted)
    missing = []
    for scope in required:
        implied_by_write = scope.startswith("read_") and "write_" + scope.removeprefix("read_") in have
        if scope not in have and not implied_by_write:
            missing.append(scope)
    return missing


def check_scopes(granted: str | Iterable[str] | None, required: Iterable[str] = REQUIRED_SCOPES) -> None:
    """Raise `ValueError` naming every missing scope and what to do about it."""
    missing = missing_scopes(granted, required)
    if missing:
        raise ValueError(
            "the Akeneo App was not granted these scopes the pipeline needs: " + ", ".join(missing)
            + "; run `akeneo-pipeline connect-app` again and approve them"
        )
