"""The sandbox org's picklist metadata and the rules a deploy must pass.

Each rule names its source. Where the documentation is silent the sandbox picks the
strictest plausible behaviour and says so ("modelling choice"): a client passing it is not
proven right about Salesforce, only about the documented rules.

- Whole-list replacement: "If picklist values are missing from a component definition, they
  get deactivated when deployed" (Metadata API Developer Guide, CustomValue,
  developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_customvalue.htm).
  A value left out stays, inactive, after the deployed ones (its place: modelling choice).
- No delete: picklist values "cannot be deleted from a picklist that has been saved to your
  organization" (Metadata API, Picklist, .../api_meta/meta_picklist.htm). Nothing here ever
  removes a value; `destructiveChanges.xml` is refused (metadata_zip.py).
- Counts: at most 1,000 values, active and inactive together, in every picklist. That is
  Salesforce's documented limit for restricted picklists (Salesforce Help, "Picklist
  Limitations", help.salesforce.com/HTViewHelpDoc?id=picklist_limitations.htm) and global
  value sets ("up to 1,000 total values (inclusive of inactive values)", Metadata API,
  GlobalValueSet, meta_globalvalueset.htm; and at least one). For unrestricted picklists
  the same Help page allows 1,000 active and 4,000 inactive: the sandbox applies the flat
  1,000 there too, the project's rule (modelling choice), so it is stricter than a real org.
- 255 characters per value (the same Help page), label and API name alike.
- API names compare without regard to case or to full/half width (Salesforce Help knowledge
  articles 000386557 "Picklist fields are not case sensitive" and 000385675 "Duplicate
  values are not allowed"): two such values in one deploy are refused; a deployed value
  matching an existing one that way is that value (it takes the deployed spelling:
  modelling choice).
- Translations name values by master label: `masterLabel` "the original (untranslated) name
  of a value" (Metadata API, GlobalValueSetTranslation, meta_globalvaluesettranslation.htm;
  CustomObjectTranslation's picklist value translations, meta_customobjecttranslation.htm).
  A master label no value has, or that two values share, is refused (modelling choice: the
  docs say nothing of the failure). A translation is kept with its value and follows it
  when the master label later changes. Translating needs the language switched on in the
  Translation Workbench (CustomObjectTranslation: "part of the Translation Workbench"):
  other languages are refused.
- Record types (Metadata API, RecordType): `picklistValues` lists the values a record type
  offers for a picklist; a value the field does not have, or has inactive, is refused
  (modelling choice). A record type's list for a picklist is replaced by each deploy that
  names the picklist; other picklists keep theirs.
- The master record type id is 012000000000000AAA (LWC getPicklistValues: "If there isn't
  a default record type, this value is the master record type, which is 012000000000000AAA").
"""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field

from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig
from akeneo_pipeline.sandbox_salesforce.metadata_zip import (
    Component,
    FieldSpec,
    GlobalValueSetSpec,
    RecordTypeSpec,
    TranslationSpec,
    ValueSpec,
)

MASTER_RECORD_TYPE_ID = "012000000000000AAA"
MAX_VALUES = 1_000  # active and inactive together, every picklist (see the module's notes)
MAX_CHARS = 255


def key(name: str) -> str:
    """How Salesforce tells two names apart: not by case, not by full or half width."""
    return unicodedata.normalize("NFKC", name).casefold()


class Refused(Exception):
    """A component Salesforce would not deploy; the message is its `problem`."""


@dataclass
class Value:
    full_name: str
    label: str
    active: bool = True
    default: bool = False


@dataclass
class ValueSet:
    values: list[Value] = field(default_factory=list)
    sorted: bool = False
    restricted: bool = True
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> value key -> text

    def find(self, full_name: str) -> Value | None:
        wanted = key(full_name)
        return next((v for v in self.values if key(v.full_name) == wanted), None)


@dataclass
class PicklistField:
    object_name: str
    name: str
    label: str
    type: str
    value_set: ValueSet


@dataclass
class GlobalValueSet:
    name: str
    master_label: str
    value_set: ValueSet


@dataclass
class RecordType:
    object_name: str
    name: str
    label: str
    active: bool
    record_type_id: str
    picklists: dict[str, list[str]] = field(default_factory=dict)  # field key -> API names offered


@dataclass
class ComponentResult:
    component_type: str
    full_name: str
    file_name: str
    problem: str | None = None


@dataclass
class Org:
    config: SalesforceSandboxConfig
    fields: dict[str, PicklistField] = field(default_factory=dict)  # key("Object.Field__c")
    global_value_sets: dict[str, GlobalValueSet] = field(default_factory=dict)  # key(name)
    record_types: dict[tuple[str, str], RecordType] = field(default_factory=dict)  # (key(object), key(name))
    record_type_serial: int = 0

    # ---- deploy ------------------------------------------------------------------------
    def deploy(self, components: list[Component], rollback_on_error: bool) -> tuple[Org, list[ComponentResult]]:
        """Apply `components` to a copy; the copy to keep (self when nothing may change) and one
        result per component. With rollbackOnError any failure keeps the org as it was."""
        staged = copy.deepcopy(self)
        results: list[ComponentResult] = []
        order = {FieldSpec: 0, GlobalValueSetSpec: 0, RecordTypeSpec: 1, TranslationSpec: 2}
        for component in sorted(components, key=lambda c: order[type(c.spec)]):
            result = ComponentResult(component.type, component.full_name, component.file_name)
            try:
                staged._apply(component)
            except Refused as exc:
                result.problem = str(exc)
            results.append(result)
        failed = any(r.problem for r in results)
        return (self if failed and rollback_on_error else staged), results

    def _apply(self, component: Component) -> None:
        spec = component.spec
        if isinstance(spec, FieldSpec):
            self._apply_field(spec)
        elif isinstance(spec, GlobalValueSetSpec):
            self._apply_global_value_set(spec)
        elif isinstance(spec, RecordTypeSpec):
            self._apply_record_type(spec)
        else:
            self._apply_translation(spec)

    def _known_object(self, name: str) -> str:
        for known in self.config.objects:
            if key(known) == key(name):
                return known
        raise Refused(f"Entity '{name}' not found: the org has no such object")

    def _apply_field(self, spec: FieldSpec) -> None:
        obj = self._known_object(spec.object_name)
        if spec.type not in ("Picklist", "MultiselectPicklist"):
            raise Refused(f"the sandbox deploys picklist fields only, not type {spec.type!r}")
        if spec.value_set_name is not None:
            raise Refused("the sandbox does not model fields bound to a global value set (valueSetName)")
        if spec.values is None:
            raise Refused("a picklist field needs a valueSet with a valueSetDefinition")
        if not spec.label:
            raise Refused("Required field is missing: label")
        fkey = key(f"{obj}.{spec.name}")
        current = self.fields.get(fkey)
        base = current.value_set if current is not None else ValueSet()
        merged = _merged(base, spec.values, spec.sorted, spec.restricted, "picklist")
        self.fields[fkey] = PicklistField(obj, current.name if current else spec.name, spec.label, spec.type, merged)

    def _apply_global_value_set(self, spec: GlobalValueSetSpec) -> None:
        if not spec.master_label:
            raise Refused("Required field is missing: masterLabel")
        if not spec.values:
            raise Refused("a global value set requires at least one value")
        current = self.global_value_sets.get(key(spec.name))
        base = current.value_set if current is not None else ValueSet()
        merged = _merged(base, spec.values, spec.sorted, True, "global value set")
        self.global_value_sets[key(spec.name)] = GlobalValueSet(current.name if current else spec.name,
                                                                spec.master_label, merged)

    def _apply_record_type(self, spec: RecordTypeSpec) -> None:
        obj = self._known_object(spec.object_name)
        if not spec.label:
            raise Refused("Required field is missing: label")
        rkey = (key(obj), key(spec.name))
        current = self.record_types.get(rkey)
        if current is None:
            self.record_type_serial += 1
            current = RecordType(obj, spec.name, spec.label, spec.active, _record_type_id(self.record_type_serial))
            self.record_types[rkey] = current
        current.label, current.active = spec.label, spec.active
        for picklist, names in spec.picklists.items():
            target = self.fields.get(key(f"{obj}.{picklist}"))
            if target is None:
                raise Refused(f"picklist {obj}.{picklist} not found for record type {spec.name}")
            offered: list[str] = []
            for name in names:
                value = target.value_set.find(name)
                if value is None or not value.active:
                    raise Refused(f"record type {spec.name}: {obj}.{picklist} has no active value {name!r}")
                offered.append(value.full_name)
            current.picklists[key(picklist)] = offered

    def _apply_translation(self, spec: TranslationSpec) -> None:
        if spec.language not in self.config.languages:
            raise Refused(f"language {spec.language!r} is not enabled in the Translation Workbench")
        for owner, pairs in spec.entries.items():
            if spec.kind == "field":
                obj = self._known_object(spec.owner)
                target = self.fields.get(key(f"{obj}.{owner}"))
                if target is None:
                    raise Refused(f"field {obj}.{owner} not found for its translation")
                value_set = target.value_set
            else:
                gvs = self.global_value_sets.get(key(spec.owner))
                if gvs is None:
                    raise Refused(f"global value set {spec.owner} not found for its translation")
                value_set = gvs.value_set
            by_label: dict[str, list[Value]] = {}
            for value in value_set.values:
                by_label.setdefault(value.label, []).append(value)
            texts = value_set.translations.setdefault(spec.language, {})
            for master, translation in pairs:
                matches = by_label.get(master, [])
                if not matches:
                    raise Refused(f"no picklist value has the master label {master!r}")
                if len(matches) > 1:
                    raise Refused(f"master label {master!r} names {len(matches)} values")
                if len(translation) > MAX_CHARS:
                    raise Refused(f"translation of {master!r} is longer than {MAX_CHARS} characters")
                texts[key(matches[0].full_name)] = translation

    # ---- read back -----------------------------------------------------------------------
    def field(self, object_name: str, field_name: str) -> PicklistField | None:
        return self.fields.get(key(f"{object_name}.{field_name}"))

    def object_record_types(self, object_name: str) -> list[RecordType]:
        return sorted((rt for (obj, _), rt in self.record_types.items() if obj == key(object_name)),
                      key=lambda rt: rt.name)

    def record_type_by_id(self, object_name: str, record_type_id: str) -> RecordType | None:
        return next((rt for rt in self.object_record_types(object_name) if rt.record_type_id == record_type_id), None)


def _record_type_id(serial: int) -> str:
    return f"0125g{serial:010d}AAA"


def _merged(base: ValueSet, deployed: list[ValueSpec], sorted_: bool, restricted: bool, what: str) -> ValueSet:
    """The value set after a deploy: the deployed values in their order, then every existing
    value the deploy left out, deactivated. Nothing is ever removed."""
    seen: dict[str, str] = {}
    values: list[Value] = []
    for spec in deployed:
        if not spec.full_name:
            raise Refused("a picklist value needs a fullName")
        if len(spec.full_name) > MAX_CHARS:
            raise Refused(f"value API name longer than {MAX_CHARS} characters: {spec.full_name[:40]!r}...")
        label = spec.label if spec.label is not None else spec.full_name
        if len(label) > MAX_CHARS:
            raise Refused(f"value label longer than {MAX_CHARS} characters: {label[:40]!r}...")
        k = key(spec.full_name)
        if k in seen:
            raise Refused(f"Duplicate value: {spec.full_name!r} and {seen[k]!r} are the same API name")
        seen[k] = spec.full_name
        values.append(Value(spec.full_name, label, spec.active, spec.default))
    for old in base.values:
        if key(old.full_name) not in seen:
            values.append(Value(old.full_name, old.label, False, False))
    if len(values) > MAX_VALUES:
        kind = "restricted" if restricted else "unrestricted"
        raise Refused(f"a {kind} {what} can have at most {MAX_VALUES} values, active and inactive "
                      f"(this deploy leaves {len(values)})")
    return ValueSet(values, sorted_, restricted, copy.deepcopy(base.translations))
