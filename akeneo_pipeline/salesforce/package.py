"""The Metadata API deploy package for a span of change ids: one zip, the same bytes for the
same input.

Each mapped attribute is deployed with its whole value list (metadata_xml.py says which
file holds what): every option, its Akeneo code as the value's API name (`fullName`), its
master-locale label, removed options with `isActive` false (never left out, which would
deactivate them anyway, and never dropped: Salesforce cannot delete a value), in
`sort_order` order, and `sorted` set from Akeneo's `auto_option_sorting`. Labels in the
mapped languages go to translation files keyed by the master label.

Deterministic: entries sorted by path, every entry stamped 1980-01-01 00:00 with fixed
permissions and system, XML written as text in a fixed order. The same input, mapping and
API version give the same bytes, in any process (with the same zlib).

Run the checks (checks.py) first: the builder writes what it is given.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from akeneo_pipeline.salesforce import metadata_xml as mx
from akeneo_pipeline.salesforce.checks import master_label
from akeneo_pipeline.salesforce.mapping import AttributeTarget, SalesforceMapping
from akeneo_pipeline.salesforce.value_lists import AttributeValueList, ValueListSpan

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DEFAULT_VISIBLE_LINES = 4  # Setup's default for a multi-select picklist


@dataclass(frozen=True)
class PackagedAttribute:
    attribute_code: str
    target: str
    values: int
    active: int
    inactive: int
    components: tuple[str, ...]  # "Type:fullName" of every component carrying its values


@dataclass(frozen=True)
class DeployPackage:
    first_change_id: int
    last_change_id: int
    api_version: str
    zip_bytes: bytes
    files: tuple[str, ...]
    attributes: tuple[PackagedAttribute, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.zip_bytes).hexdigest()

    @property
    def file_name(self) -> str:
        return f"picklists-{self.first_change_id}-{self.last_change_id}-{self.digest[:12]}.zip"

    def attributes_of(self, component_type: str | None, full_name: str | None) -> set[str]:
        """The attributes a component (as a deploy failure names it) carries. A failure on the
        object file itself (`CustomObject`, `Product2`) concerns every field of that object."""
        if not full_name:
            return set()
        found: set[str] = set()
        for attribute in self.attributes:
            for component in attribute.components:
                kind, name = component.split(":", 1)
                same = name.casefold() == full_name.casefold() and component_type in (None, "", kind)
                on_object = component_type == "CustomObject" and kind == "CustomField" and \
                    name.split(".", 1)[0].casefold() == full_name.casefold()
                if same or on_object:
                    found.add(attribute.attribute_code)
        return found


def build_package(span: ValueListSpan, mapping: SalesforceMapping, api_version: str,
                  attributes: Collection[str] | None = None) -> DeployPackage:
    """The deploy package of the span's mapped attributes (or only those named in `attributes`)."""
    chosen = [(v, mapping.attributes[v.attribute_code])
              for v in sorted(span.value_lists, key=lambda v: v.attribute_code)
              if v.attribute_code in mapping.attributes and (attributes is None or v.attribute_code in attributes)]
    files, packaged = _components(chosen, mapping, api_version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[path], compresslevel=9)
    return DeployPackage(span.first_change_id, span.last_change_id, api_version, buffer.getvalue(),
                         tuple(sorted(files)), tuple(packaged))


def _components(chosen: Sequence[tuple[AttributeValueList, AttributeTarget]], mapping: SalesforceMapping,
                api_version: str) -> tuple[dict[str, bytes], list[PackagedAttribute]]:
    members: dict[str, set[str]] = defaultdict(set)
    object_fields: dict[str, list[mx.Element]] = defaultdict(list)
    # object -> record type name -> (label, {field: [active API names]})
    record_types: dict[str, dict[str, tuple[str, dict[str, list[str]]]]] = defaultdict(dict)
    field_translations: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    files: dict[str, bytes] = {}
    packaged: list[PackagedAttribute] = []
    for value_list, target in chosen:
        code = value_list.attribute_code
        options = value_list.ordered()
        labels = {o.code: master_label(o, mapping, code) or o.code for o in options}
        translations = {
            language: [(labels[o.code], o.labels[locale]) for o in options if o.labels.get(locale, "").strip()]
            for locale, language in sorted(mapping.languages.items(), key=lambda item: item[1])}
        translations = {language: pairs for language, pairs in translations.items() if pairs}
        title = target.label or value_list.labels.get(mapping.master_locale) or code
        components: list[str] = []
        if target.field is not None:
            obj, field = target.object_name, target.field_name
            values = [mx.custom_value(o.code, labels[o.code], o.active) for o in options]
            object_fields[obj].append(mx.custom_field(
                field, title, value_list.attribute_type == "multi_select",
                target.visible_lines or DEFAULT_VISIBLE_LINES, target.is_restricted,
                value_list.auto_option_sorting, values))
            members["CustomField"].add(target.field)
            components.append(f"CustomField:{target.field}")
            for record_type in target.record_types:
                _, picklists = record_types[obj].setdefault(record_type.name, (record_type.display_label, {}))
                picklists[field] = [o.code for o in options if o.active]
                members["RecordType"].add(f"{obj}.{record_type.name}")
                components.append(f"RecordType:{obj}.{record_type.name}")
            for language, pairs in translations.items():
                field_translations[(obj, language)][field] = pairs
                members["CustomObjectTranslation"].add(f"{obj}-{language}")
                components.append(f"CustomObjectTranslation:{obj}-{language}")
        else:
            name = target.global_value_set
            assert name is not None
            values = [mx.global_custom_value(o.code, labels[o.code], o.active) for o in options]
            files[f"globalValueSets/{name}.globalValueSet"] = mx.global_value_set(
                title, value_list.auto_option_sorting, values)
            members["GlobalValueSet"].add(name)
            components.append(f"GlobalValueSet:{name}")
            for language, pairs in translations.items():
                files[f"globalValueSetTranslations/{name}-{language}.globalValueSetTranslation"] = \
                    mx.global_value_set_translation(pairs)
                members["GlobalValueSetTranslation"].add(f"{name}-{language}")
                components.append(f"GlobalValueSetTranslation:{name}-{language}")
        active = sum(o.active for o in options)
        packaged.append(PackagedAttribute(code, target.target_key, len(options), active, len(options) - active,
                                          tuple(components)))
    for obj in sorted(set(object_fields) | set(record_types)):
        fields = sorted(object_fields.get(obj, []), key=_full_name)
        types = [mx.record_type(name, label, picklists)
                 for name, (label, picklists) in sorted(record_types.get(obj, {}).items())]
        files[f"objects/{obj}.object"] = mx.custom_object(fields, types)
    for (obj, language), fields_pairs in sorted(field_translations.items()):
        files[f"objectTranslations/{obj}-{language}.objectTranslation"] = mx.object_translation(fields_pairs)
    files["package.xml"] = mx.package_manifest(_as_lists(members), api_version)
    return files, packaged


def _full_name(element: mx.Element) -> str:
    body = element[1]
    assert not isinstance(body, str)
    first = body[0]
    return first[1] if isinstance(first[1], str) else ""


def _as_lists(members: Mapping[str, set[str]]) -> dict[str, list[str]]:
    return {kind: sorted(names) for kind, names in members.items()}

