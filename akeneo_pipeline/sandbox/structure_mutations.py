"""What a PIM user does to attribute options and attributes between two pipeline runs. Each change
bumps the catalog generation; bad input raises ValueError naming the cause, nothing is half-applied.
"""

from __future__ import annotations

from typing import Any

from akeneo_pipeline.sandbox.mutation_state import MutationState
from akeneo_pipeline.sandbox.structure_items import attribute_item

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


class StructureMutations(MutationState):
    """Adding, relabelling, reordering and removing attribute options; adding and removing attributes."""

    def _option(self, attribute: str, code: str) -> dict[str, Any]:
        for option in self.structure["attribute_options"]:
            if option["attribute"] == attribute and option["code"] == code:
                return option
        raise ValueError(f"attribute option {attribute}.{code} does not exist")

    def _select_options(self, attribute_code: str) -> list[dict[str, Any]]:
        """The options of a simple or multi select attribute; ValueError for any other attribute."""
        attr = next((a for a in self.structure["attributes"] if a["code"] == attribute_code), None)
        if attr is None or attr["type"] not in SELECT_TYPES:
            raise ValueError(f"attribute {attribute_code!r} does not exist or is not a simple/multi select")
        return [o for o in self.structure["attribute_options"] if o["attribute"] == attribute_code]

    def add_option(self, attribute_code: str, code: str, labels: dict[str, str],
                   sort_order: int | None = None) -> None:
        with self.lock:
            siblings = self._select_options(attribute_code)
            if any(o["code"] == code for o in siblings):
                raise ValueError(f"attribute option {attribute_code}.{code} already exists")
            if sort_order is None:
                sort_order = max((o["sort_order"] for o in siblings), default=-1) + 1
            self._rng()
            self.structure["attribute_options"].append(
                {"code": code, "attribute": attribute_code, "sort_order": sort_order, "labels": dict(labels)})

    def add_options(self, attribute_code: str, options: dict[str, dict[str, str]]) -> None:
        """Many `add_option`s at once (code -> labels), in one pass: 10,000 options stay quick."""
        with self.lock:
            siblings = self._select_options(attribute_code)
            taken = {o["code"] for o in siblings} & set(options)
            if taken:
                raise ValueError(f"attribute option(s) {sorted(taken)[:5]} of {attribute_code} already exist")
            start = max((o["sort_order"] for o in siblings), default=-1) + 1
            self._rng()
            self.structure["attribute_options"].extend(
                {"code": code, "attribute": attribute_code, "sort_order": start + n, "labels": dict(labels)}
                for n, (code, labels) in enumerate(options.items()))

    def relabel_option(self, attribute_code: str, code: str, locale: str, label: str | None) -> None:
        """Set (or with None, remove) one locale's label. An option change is not an attribute update."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            if label is None:
                option["labels"].pop(locale, None)
            else:
                option["labels"][locale] = label

    def remove_option(self, attribute_code: str, code: str) -> None:
        """Products keep pointing at the removed option, as they do in real catalogs."""
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            self.structure["attribute_options"].remove(option)

    def reorder_option(self, attribute_code: str, code: str, sort_order: int) -> None:
        with self.lock:
            option = self._option(attribute_code, code)
            self._rng()
            option["sort_order"] = int(sort_order)

    def add_attribute(self, code: str, type: str, group: str = "marketing", localizable: bool = False,
                      scopable: bool = False, **extra: Any) -> None:
        with self.lock:
            if any(a["code"] == code for a in self.structure["attributes"]):
                raise ValueError(f"attribute {code!r} already exists")
            target = next((g for g in self.structure["attribute_groups"] if g["code"] == group), None)
            if target is None:
                raise ValueError(f"attribute group {group!r} does not exist")
            self._rng()
            now = self.now()
            item = attribute_item(code, len(self.structure["attributes"]), now,
                                  (type, group, localizable, scopable, extra))
            self.structure["attributes"].append(item)
            target["attributes"].append(code)
            target["_updated"] = now

    def remove_attribute(self, code: str) -> None:
        """Delete an attribute with its options, as a PIM user does in the UI (the REST API has no
        DELETE for attributes; the Swagger file lists GET and PATCH). Only an attribute no family
        uses: the sandbox's products are generated from its fixed families."""
        with self.lock:
            attribute = next((a for a in self.structure["attributes"] if a["code"] == code), None)
            if attribute is None:
                raise ValueError(f"attribute {code!r} does not exist")
            users = [f["code"] for f in self.structure["families"] if code in f["attributes"]]
            if users:
                raise ValueError(f"attribute {code!r} is used by families {users}; the sandbox removes only "
                                 "attributes no family uses")
            self._rng()
            self.structure["attributes"].remove(attribute)
            self.structure["attribute_options"] = [o for o in self.structure["attribute_options"]
                                                   if o["attribute"] != code]
            for group in self.structure["attribute_groups"]:
                if code in group["attributes"]:
                    group["attributes"].remove(code)
                    group["_updated"] = self.now()
