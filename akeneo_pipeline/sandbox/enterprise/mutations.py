"""What a merchandiser does to Enterprise data between two runs, as methods of the sandbox Catalog.

Like sandbox/mutations.py: each bumps the catalog generation and stamps with `Catalog.now()`
(never backwards); bad input raises ValueError naming the cause and nothing is half-applied.

- Records and assets carry `updated` (Swagger ReferenceEntityRecord, AssetList): adding one stamps
  `created` and `updated`, editing one (a new label in a locale, new values) stamps `updated`, removing one
  makes it disappear from lists and get-ones (404), as the Swagger DELETE of an asset and the UI's record
  deletion do. Products linking to it keep the code, as they keep a removed attribute option.
- Table select options have no stamp of their own. They are written through their attribute (the
  Swagger's `PATCH /attributes/{code}` carries `table_configuration`, read back with
  `with_table_select_options`), so the sandbox stamps the table attribute's `updated`. The filter doc says
  of simple and multi select options only that "an option update isn't considered as an attribute update";
  whether Akeneo stamps a table attribute for an option edit is not documented, and a client should not
  rely on it either way (structure is re-read whole).
- A record's label is its `label` attribute's value in a locale (reference_entities.py, LABEL_ATTRIBUTE).
"""

from __future__ import annotations

import random
import threading
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox.enterprise import assets as am
from akeneo_pipeline.sandbox.enterprise import reference_entities as re_
from akeneo_pipeline.sandbox.enterprise.items import Item, ItemStore

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox.enterprise.catalog import EnterpriseCatalog

CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def check_code(what: str, code: Any) -> str:
    """Codes are letters, digits and underscores in Akeneo (RecordCode, AssetCode, option codes)."""
    if not isinstance(code, str) or not code or not set(code) <= CODE_CHARS:
        raise ValueError(f"{what} code must be letters, digits and underscores, got {code!r}")
    return code


def check_values(values: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(values, dict) or not all(
            isinstance(v, list) and all(isinstance(e, dict) and {"locale", "channel", "data"} <= set(e) for e in v)
            for v in values.values()):
        raise ValueError('values must be {attribute: [{"locale", "channel", "data"}, ...]}')
    return values


def pick(store: ItemStore, n: int | None, codes: list[str] | None, rng: random.Random, what: str) -> list[Item]:
    if (n is None) == (codes is None):
        raise ValueError(f"give either n ({what}s drawn at random) or codes, not both")
    if codes is not None:
        missing = [c for c in codes if store.get(c) is None]
        if missing:
            raise ValueError(f"{what}(s) {missing[:5]} do not exist")
        return [store.items[c] for c in codes]
    if not 0 <= n <= len(store):  # type: ignore[operator]
        raise ValueError(f"cannot pick {n} {what}s: there are {len(store)}")
    return [store.items[c] for c in sorted(rng.sample(store.order, n))]  # type: ignore[arg-type]


class EnterpriseMutations:
    """Mixed into `Catalog` (catalog.py), whose state it edits; that state is declared here so the
    type checker holds both classes to one shape (as `CatalogMutations` does)."""

    lock: threading.RLock
    structure: dict[str, list[dict[str, Any]]]
    enterprise: EnterpriseCatalog

    if TYPE_CHECKING:
        @property
        def zone(self) -> tzinfo: ...
        def now(self) -> int: ...
        def _rng(self) -> random.Random: ...
    # ---- reference entity records ------------------------------------------------------------------
    def add_record(self, reference_entity: str, code: str, labels: dict[str, str] | None = None,
                   values: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
        with self.lock:
            entity = self.enterprise.entity(reference_entity)
            check_code("record", code)
            if entity.records.get(code) is not None:
                raise ValueError(f"record {reference_entity}.{code} already exists")
            own = dict(check_values(values or {}))
            if labels:
                own[re_.LABEL_ATTRIBUTE] = [{"locale": loc, "channel": None, "data": text}
                                            for loc, text in sorted(labels.items())]
            self._rng()
            now = self.now()
            entity.records.add(Item(code, own, now, now))
            return self.enterprise.record_item(entity, entity.records.items[code], self.zone, None)

    def relabel_record(self, reference_entity: str, code: str, locale: str, label: str | None) -> None:
        """Set (None: remove) the record's label in `locale`."""
        with self.lock:
            entity = self.enterprise.entity(reference_entity)
            record = entity.records.get(code)
            if record is None:
                raise ValueError(f"record {reference_entity}.{code} does not exist")
            self._rng()
            entries = [v for v in record.values.get(re_.LABEL_ATTRIBUTE, []) if v["locale"] != locale]
            if label is not None:
                entries.append({"locale": locale, "channel": None, "data": label})
                entries.sort(key=lambda v: v["locale"] or "")
            if entries:
                record.values[re_.LABEL_ATTRIBUTE] = entries
            else:
                record.values.pop(re_.LABEL_ATTRIBUTE, None)
            record.version += 1
            record.updated = self.now()

    def update_records(self, reference_entity: str, n: int | None = None,
                       codes: list[str] | None = None) -> list[str]:
        """Edit n records drawn at random, or exactly `codes`: a new text value, `updated` = now."""
        with self.lock:
            entity = self.enterprise.entity(reference_entity)
            rng = self._rng()
            chosen = pick(entity.records, n, codes, rng, "record")
            now = self.now()
            text = next(a for a in entity.attributes[2:] + entity.attributes if a["type"] == "text")
            for record in chosen:
                record.version += 1
                record.values[text["code"]] = [
                    {"locale": loc, "channel": ch, "data": f"{record.code} edit {record.version}"}
                    for loc, ch in re_.pairs(text)]
                record.updated = now
            return [r.code for r in chosen]

    def remove_record(self, reference_entity: str, code: str) -> None:
        with self.lock:
            entity = self.enterprise.entity(reference_entity)
            if entity.records.get(code) is None:
                raise ValueError(f"record {reference_entity}.{code} does not exist")
            self._rng()
            entity.records.remove(code)

    # ---- assets ------------------------------------------------------------------------------------
    def add_asset(self, asset_family: str, code: str,
                  values: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
        """A new asset; without `values`, generated ones (a main media file key, a label...)."""
        with self.lock:
            family = self.enterprise.family(asset_family)
            check_code("asset", code)
            if family.assets.get(code) is not None:
                raise ValueError(f"asset {asset_family}.{code} already exists")
            rng = self._rng()
            own = check_values(values) if values is not None else am.asset_values(family, code, rng)
            now = self.now()
            family.assets.add(Item(code, dict(own), now, now))
            return self.enterprise.asset_item(family, family.assets.items[code], self.zone, None)

    def update_assets(self, asset_family: str, n: int | None = None, codes: list[str] | None = None,
                      values: dict[str, list[dict[str, Any]]] | None = None) -> list[str]:
        """Edit n assets drawn at random, or exactly `codes`: `values` set (default: new generated
        values, the main media file kept), `updated` = now."""
        with self.lock:
            family = self.enterprise.family(asset_family)
            if values is not None:
                check_values(values)
            rng = self._rng()
            chosen = pick(family.assets, n, codes, rng, "asset")
            now = self.now()
            for asset in chosen:
                asset.version += 1
                fresh = values if values is not None else {
                    k: v for k, v in am.asset_values(family, asset.code, rng).items()
                    if k != family.attribute_as_main_media}
                asset.values.update({k: [dict(e) for e in v] for k, v in fresh.items()})
                asset.updated = now
            return [a.code for a in chosen]

    def remove_asset(self, asset_family: str, code: str) -> None:
        with self.lock:
            family = self.enterprise.family(asset_family)
            if family.assets.get(code) is None:
                raise ValueError(f"asset {asset_family}.{code} does not exist")
            self._rng()
            family.assets.remove(code)

    # ---- table select options ----------------------------------------------------------------------
    def _stamp_table_attribute(self, attribute: str) -> None:
        for item in self.structure["attributes"]:
            if item["code"] == attribute:
                item["_updated"] = self.now()

    def add_table_option(self, attribute: str, column: str, code: str,
                         labels: dict[str, str] | None = None) -> None:
        with self.lock:
            options = self.enterprise.table_column_options(attribute, column)
            check_code("select option", code)
            if any(o["code"].lower() == code.lower() for o in options):  # SelectOptionCollection: strtolower keys
                raise ValueError(f"select option {attribute}.{column}.{code} already exists "
                                 "(codes are case-insensitive)")
            self._rng()
            options.append({"code": code, "labels": dict(labels or {})})
            self._stamp_table_attribute(attribute)

    def relabel_table_option(self, attribute: str, column: str, code: str, locale: str,
                             label: str | None) -> None:
        with self.lock:
            option = self._table_option(attribute, column, code)
            self._rng()
            if label is None:
                option["labels"].pop(locale, None)
            else:
                option["labels"][locale] = label
            self._stamp_table_attribute(attribute)

    def remove_table_option(self, attribute: str, column: str, code: str) -> None:
        """Products keep cells pointing at the removed option, as they keep removed attribute options."""
        with self.lock:
            options = self.enterprise.table_column_options(attribute, column)
            option = self._table_option(attribute, column, code)
            self._rng()
            options.remove(option)
            self._stamp_table_attribute(attribute)

    def _table_option(self, attribute: str, column: str, code: str) -> dict[str, Any]:
        for option in self.enterprise.table_column_options(attribute, column):
            if option["code"] == code:
                return option
        raise ValueError(f"select option {attribute}.{column}.{code} does not exist")
