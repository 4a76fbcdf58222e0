"""The Metadata API files of a picklist deploy, written as text so the same input gives the
same bytes.

Sources (Metadata API Developer Guide, developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/):
- CustomField (customfield.htm) with its ValueSet (API 38.0 and later
  replaces Picklist by ValueSet, meta_picklist.htm): `valueSet` holds `restricted` and a
  `valueSetDefinition` of `sorted` and `value` entries; each value is a CustomValue
  (meta_customvalue.htm): `fullName` (the API name), `default`, `isActive`, `label`.
  A multi-select field is type `MultiselectPicklist` and needs `visibleLines`.
  In the metadata (zip) format a custom field lives in its object's file,
  `objects/<Object>.object`, as a `fields` element of a CustomObject.
- GlobalValueSet (meta_globalvalueset.htm): `globalValueSets/<Name>.globalValueSet` with
  `customValue` entries, `masterLabel` and `sorted`.
- RecordType (meta_recordtype.htm): in the object's file as `recordTypes`, with `active`
  and `label` (both required) and `picklistValues` (`picklist` + `values` of fullName/default):
  the values that record type offers.
- CustomObjectTranslation (meta_customobjecttranslation.htm):
  `objectTranslations/<Object>-<lang>.objectTranslation`, `fields` of CustomFieldTranslation
  (`name`, `picklistValues` of `masterLabel` + `translation`).
- GlobalValueSetTranslation (meta_globalvaluesettranslation.htm):
  `globalValueSetTranslations/<Name>-<lang>.globalValueSetTranslation`, `valueTranslation`
  entries of `masterLabel` + `translation`.
- package.xml (meta_deploy / "Working with the Zip File", meta_rest_intro.htm): `types`
  of `members` and `name`, then `version`.

Child elements are written in the order the Metadata API WSDL declares them (fullName
first, then alphabetical), the order Salesforce itself retrieves them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Union
from xml.sax.saxutils import escape

from akeneo_pipeline.salesforce.rules import xml_unwritable

NAMESPACE = "http://soap.sforce.com/2006/04/metadata"

Element = tuple[str, Union[str, "Sequence[Element]"]]


def render(root: str, children: Sequence[Element]) -> bytes:
    """A Metadata API file: declaration, the root element in Salesforce's namespace, 4-space indents."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{NAMESPACE}">']
    for child in children:
        _write(child, 1, lines)
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write(element: Element, depth: int, lines: list[str]) -> None:
    tag, body = element
    pad = "    " * depth
    if isinstance(body, str):
        bad = xml_unwritable(body)
        if bad is not None:
            raise ValueError(f"<{tag}> text holds U+{ord(bad):04X}, which XML cannot carry: {body!r}")
        lines.append(f"{pad}<{tag}>{escape(body)}</{tag}>")
        return
    lines.append(f"{pad}<{tag}>")
    for child in body:
        _write(child, depth + 1, lines)
    lines.append(f"{pad}</{tag}>")


def boolean(value: bool) -> str:
    return "true" if value else "false"


def custom_value(full_name: str, label: str, active: bool) -> Element:
    """One picklist value. `default` is required and always false: Akeneo has no default option."""
    return ("value", [("fullName", full_name), ("default", "false"), ("isActive", boolean(active)),
                      ("label", label)])


def global_custom_value(full_name: str, label: str, active: bool) -> Element:
    return ("customValue", custom_value(full_name, label, active)[1])


def custom_field(name: str, label: str, multi_select: bool, visible_lines: int, restricted: bool,
                 sorted_: bool, values: Sequence[Element]) -> Element:
    children: list[Element] = [("fullName", name), ("label", label),
                               ("type", "MultiselectPicklist" if multi_select else "Picklist"),
                               ("valueSet", [("restricted", boolean(restricted)),
                                             ("valueSetDefinition", [("sorted", boolean(sorted_)), *values])])]
    if multi_select:
        children.append(("visibleLines", str(visible_lines)))
    return ("fields", children)


def record_type(name: str, label: str, picklists: Mapping[str, Sequence[str]]) -> Element:
    """A record type offering, for each picklist field, exactly `picklists[field]` (API names)."""
    values: list[Element] = []
    for field in sorted(picklists):
        entries: list[Element] = [("picklist", field)]
        entries += [("values", [("fullName", v), ("default", "false")]) for v in picklists[field]]
        values.append(("picklistValues", entries))
    return ("recordTypes", [("fullName", name), ("active", "true"), ("label", label), *values])


def custom_object(fields: Iterable[Element], record_types: Iterable[Element]) -> bytes:
    return render("CustomObject", [*fields, *record_types])


def global_value_set(master_label: str, sorted_: bool, values: Sequence[Element]) -> bytes:
    return render("GlobalValueSet", [*values, ("masterLabel", master_label), ("sorted", boolean(sorted_))])


def object_translation(fields: Mapping[str, Sequence[tuple[str, str]]]) -> bytes:
    """`fields[field] = [(master label, translation), ...]`."""
    return render("CustomObjectTranslation", [
        ("fields", [("name", field), *(("picklistValues", [("masterLabel", m), ("translation", t)])
                                       for m, t in fields[field])])
        for field in sorted(fields)])


def global_value_set_translation(pairs: Sequence[tuple[str, str]]) -> bytes:
    return render("GlobalValueSetTranslation", [("valueTranslation", [("masterLabel", m), ("translation", t)])
                                                for m, t in pairs])


def package_manifest(members: Mapping[str, Iterable[str]], api_version: str) -> bytes:
    """package.xml: every component the zip holds, by type, sorted."""
    types: list[Element] = [("types", [*(("members", m) for m in sorted(set(members[t]))), ("name", t)])
                            for t in sorted(members) if members[t]]
    return render("Package", [*types, ("version", api_version)])
