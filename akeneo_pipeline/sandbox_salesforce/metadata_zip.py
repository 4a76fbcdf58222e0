"""Read a Metadata API deploy zip (metadata format) into the components the sandbox models.

What it reads, as the Metadata API Developer Guide lays files out
(developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/):
- `package.xml` ("Working with the Zip File", meta_rest_intro.htm; Package: `types` of
  `members` + `name`, `version`): at the zip's root with singlePackage, else one folder down.
  A member listed but absent is a component failure, and a file no member names is not
  deployed (modelling choices: what a manifest is for).
- `objects/<Object>.object`: CustomObject with `fields` (CustomField + ValueSet:
  customfield.htm, meta_customvalue.htm) and `recordTypes` (RecordType) children; members
  `CustomField` Object.Field__c, `RecordType` Object.Name (or `CustomObject` Object for all).
- `globalValueSets/<Name>.globalValueSet` (GlobalValueSet, meta_globalvalueset.htm).
- `objectTranslations/<Object>-<lang>.objectTranslation` (CustomObjectTranslation) and
  `globalValueSetTranslations/<Name>-<lang>.globalValueSetTranslation` (GlobalValueSetTranslation).
Anything else the sandbox does not model is refused rather than silently ignored, and so is
`destructiveChanges.xml`: picklist values cannot be deleted (Metadata API, Picklist).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

NS = "{http://soap.sforce.com/2006/04/metadata}"
# "The maximum size of the deployed or retrieved .zip file is 39 MB" (meta_rest_deploy.htm)
MAX_ZIP_BYTES = 39 * 1024 * 1024


class PackageInvalid(Exception):
    """The whole deploy fails (no component is looked at): Salesforce's `errorMessage`."""


@dataclass
class ValueSpec:
    full_name: str
    label: str | None
    active: bool
    default: bool


@dataclass
class FieldSpec:
    object_name: str
    name: str
    label: str | None
    type: str | None
    restricted: bool
    sorted: bool
    values: list[ValueSpec] | None
    value_set_name: str | None


@dataclass
class GlobalValueSetSpec:
    name: str
    master_label: str | None
    sorted: bool
    values: list[ValueSpec]


@dataclass
class RecordTypeSpec:
    object_name: str
    name: str
    label: str | None
    active: bool
    picklists: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TranslationSpec:
    kind: str  # "field" (owner = object) or "global_value_set" (owner = its name)
    owner: str
    language: str
    entries: dict[str, list[tuple[str, str]]]  # field name ("" for a global value set) -> (master, translation)


Spec = FieldSpec | GlobalValueSetSpec | RecordTypeSpec | TranslationSpec


@dataclass
class Component:
    type: str
    full_name: str
    file_name: str
    spec: Spec


@dataclass
class DeployContents:
    components: list[Component]
    missing: list[tuple[str, str]]  # (type, member) listed in package.xml but absent


def read_deploy_zip(data: bytes, single_package: bool) -> DeployContents:
    if len(data) > MAX_ZIP_BYTES:
        raise PackageInvalid("the .zip file is larger than 39 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageInvalid("the file part is not a readable .zip") from None
    root = ""
    if not single_package:
        roots = {name.split("/", 1)[0] + "/" for name in files
                 if name.count("/") == 1 and name.endswith("/package.xml")}
        if len(roots) != 1:
            raise PackageInvalid("No package.xml found")
        root = roots.pop()
    if root + "package.xml" not in files:
        raise PackageInvalid("No package.xml found")
    if any(name.startswith(root + "destructiveChanges") for name in files):
        raise PackageInvalid("destructiveChanges: the sandbox deletes nothing (picklist values cannot be deleted)")
    members = _manifest(_xml(files[root + "package.xml"], "package.xml"))
    local = {name[len(root):]: body for name, body in files.items() if name.startswith(root)}
    components: list[Component] = []
    missing: list[tuple[str, str]] = []
    unsupported = set(members) - {"CustomField", "CustomObject", "RecordType", "GlobalValueSet",
                                  "CustomObjectTranslation", "GlobalValueSetTranslation"}
    if unsupported:
        raise PackageInvalid("the sandbox does not model metadata types " + ", ".join(sorted(unsupported)))
    object_files: dict[str, ElementTree.Element] = {}
    for path, body in sorted(local.items()):
        if path.startswith("objects/") and path.endswith(".object"):
            object_files[path[len("objects/"):-len(".object")]] = _xml(body, path)
    wanted_objects = {m for m in members.get("CustomObject", [])}
    for obj, tree in object_files.items():
        file_name = f"objects/{obj}.object"
        for element in tree.findall(f"{NS}fields"):
            spec = _field(obj, element)
            full = f"{obj}.{spec.name}"
            if full in members.get("CustomField", []) or obj in wanted_objects:
                components.append(Component("CustomField", full, file_name, spec))
        for element in tree.findall(f"{NS}recordTypes"):
            rt = _record_type(obj, element)
            full = f"{obj}.{rt.name}"
            if full in members.get("RecordType", []) or obj in wanted_objects:
                components.append(Component("RecordType", full, file_name, rt))
    found = {(c.type, c.full_name) for c in components}
    for kind in ("CustomField", "RecordType"):
        missing += [(kind, m) for m in members.get(kind, []) if (kind, m) not in found]
    missing += [("CustomObject", m) for m in wanted_objects if m not in object_files]
    for name in members.get("GlobalValueSet", []):
        path = f"globalValueSets/{name}.globalValueSet"
        if path in local:
            components.append(Component("GlobalValueSet", name, path, _global_value_set(name, _xml(local[path], path))))
        else:
            missing.append(("GlobalValueSet", name))
    for kind, folder, suffix in (("CustomObjectTranslation", "objectTranslations", "objectTranslation"),
                                 ("GlobalValueSetTranslation", "globalValueSetTranslations",
                                  "globalValueSetTranslation")):
        for name in members.get(kind, []):
            path = f"{folder}/{name}.{suffix}"
            owner, _, language = name.rpartition("-")
            if path not in local or not owner:
                missing.append((kind, name))
                continue
            tree = _xml(local[path], path)
            if kind == "CustomObjectTranslation":
                entries = {_text(f, "name") or "": [(_text(p, "masterLabel") or "", _text(p, "translation") or "")
                                                    for p in f.findall(f"{NS}picklistValues")]
                           for f in tree.findall(f"{NS}fields")}
                translation = TranslationSpec("field", owner, language, entries)
            else:
                translation = TranslationSpec("global_value_set", owner, language, {"": [
                    (_text(v, "masterLabel") or "", _text(v, "translation") or "")
                    for v in tree.findall(f"{NS}valueTranslation")]})
            components.append(Component(kind, name, path, translation))
    return DeployContents(components, missing)


def _xml(body: bytes, path: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise PackageInvalid(f"{path}: not well-formed XML ({exc})") from None


def _manifest(tree: ElementTree.Element) -> dict[str, list[str]]:
    if tree.tag != f"{NS}Package":
        raise PackageInvalid("package.xml: the root element must be Package in the metadata namespace")
    out: dict[str, list[str]] = {}
    for types in tree.findall(f"{NS}types"):
        name = _text(types, "name")
        if not name:
            raise PackageInvalid("package.xml: a types element without a name")
        out.setdefault(name, []).extend(m.text or "" for m in types.findall(f"{NS}members"))
    return out


def _text(element: ElementTree.Element, tag: str) -> str | None:
    child = element.find(f"{NS}{tag}")
    return None if child is None else (child.text or "")


def _flag(element: ElementTree.Element, tag: str, default: bool) -> bool:
    text = _text(element, tag)
    return default if text is None else text.strip() == "true"


def _values(container: ElementTree.Element, tag: str) -> list[ValueSpec]:
    return [ValueSpec(_text(v, "fullName") or "", _text(v, "label"), _flag(v, "isActive", True),
                      _flag(v, "default", False)) for v in container.findall(f"{NS}{tag}")]


def _field(obj: str, element: ElementTree.Element) -> FieldSpec:
    value_set = element.find(f"{NS}valueSet")
    definition = value_set.find(f"{NS}valueSetDefinition") if value_set is not None else None
    return FieldSpec(obj, _text(element, "fullName") or "", _text(element, "label"), _text(element, "type"),
                     _flag(value_set, "restricted", False) if value_set is not None else False,
                     _flag(definition, "sorted", False) if definition is not None else False,
                     _values(definition, "value") if definition is not None else None,
                     _text(value_set, "valueSetName") if value_set is not None else None)


def _global_value_set(name: str, tree: ElementTree.Element) -> GlobalValueSetSpec:
    return GlobalValueSetSpec(name, _text(tree, "masterLabel"), _flag(tree, "sorted", False),
                              _values(tree, "customValue"))


def _record_type(obj: str, element: ElementTree.Element) -> RecordTypeSpec:
    spec = RecordTypeSpec(obj, _text(element, "fullName") or "", _text(element, "label"),
                          _flag(element, "active", False))
    for picklist in element.findall(f"{NS}picklistValues"):
        spec.picklists[_text(picklist, "picklist") or ""] = [_text(v, "fullName") or ""
                                                             for v in picklist.findall(f"{NS}values")]
    return spec
