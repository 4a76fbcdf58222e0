"""The mapping file a user writes: which Akeneo attribute goes to which Salesforce picklist.

    version: 1
    master_locale: en_US            # labels in this Akeneo locale are Salesforce's master labels
    languages:                      # Akeneo locale -> Salesforce language code (translations)
      fr_FR: fr
      de_DE: de
    missing_master_label: hold_back # or use_code: an option without a master label gets its code
    attributes:
      color:
        field: Product2.Color__c    # a custom picklist field, Object.Field__c
        restricted: true            # default true
        label: Colour               # the field's label; default: the attribute's master label
        record_types: [Retail, {name: Wholesale, label: Wholesale buyers}]
      size:
        global_value_set: Sizes     # a global value set instead of a field
        label: Sizes                # its master label; default: the attribute's master label

docs/salesforce.md documents every key. `load_mapping` validates it once, with one error
line per problem naming the file's line, so a typo is found before anything is deployed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from akeneo_pipeline.salesforce.rules import api_name_key
from akeneo_pipeline.salesforce.yaml_lines import LinedYaml, YamlProblem, load_lined_yaml

MissingMasterLabel = Literal["hold_back", "use_code"]

# Custom field API names end in __c (Metadata API, CustomField: a custom field's fullName is
# Object.Field__c). The rest is the usual shape of Salesforce developer names, checked here
# only to catch typos early: letters, digits and underscores, starting with a letter. A
# namespace prefix (ns__Field__c) fits. A name Salesforce still refuses comes back as the
# deploy's component failure, naming it.
_DEVELOPER_NAME = r"[A-Za-z][A-Za-z0-9_]*"
FIELD_PATTERN = re.compile(rf"^({_DEVELOPER_NAME})\.({_DEVELOPER_NAME}__c)$")
DEVELOPER_NAME = re.compile(rf"^{_DEVELOPER_NAME}$")
AKENEO_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)+$")  # en_US, zh_Hans_CN
SALESFORCE_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")  # fr, en_US, zh_CN, pt_BR


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordTypeTarget(_Strict):
    """A record type that must offer the picklist's active values. Deploying it sets its label
    (default: its name) and makes it active: the Metadata API requires both."""

    name: str
    label: str | None = None

    @field_validator("name")
    @classmethod
    def _developer_name(cls, value: str) -> str:
        if not DEVELOPER_NAME.match(value) or value.endswith("_") or "__" in value:
            raise ValueError(f"record type {value!r} is not a developer name (letters, digits, single underscores)")
        return value

    @property
    def display_label(self) -> str:
        return self.label or self.name


class AttributeTarget(_Strict):
    """One attribute's target: `field` (a custom picklist field) or `global_value_set`."""

    field: str | None = None
    global_value_set: str | None = None
    restricted: bool | None = None
    label: str | None = Field(default=None, min_length=1)
    visible_lines: int | None = Field(default=None, ge=1, le=50)
    record_types: tuple[RecordTypeTarget, ...] = ()
    missing_master_label: MissingMasterLabel | None = None

    @field_validator("record_types", mode="before")
    @classmethod
    def _names_or_mappings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("field")
    @classmethod
    def _field_name(cls, value: str | None) -> str | None:
        if value is not None and not FIELD_PATTERN.match(value):
            raise ValueError(f"{value!r} is not Object.Field__c (a custom field's API name, e.g. Product2.Color__c)")
        return value

    @field_validator("global_value_set")
    @classmethod
    def _value_set_name(cls, value: str | None) -> str | None:
        if value is not None and (not DEVELOPER_NAME.match(value) or value.endswith("_")):
            raise ValueError(f"{value!r} is not a global value set name (letters, digits and underscores)")
        return value

    @property
    def is_field(self) -> bool:
        return self.field is not None

    @property
    def object_name(self) -> str:
        assert self.field is not None
        return self.field.split(".", 1)[0]

    @property
    def field_name(self) -> str:
        assert self.field is not None
        return self.field.split(".", 1)[1]

    @property
    def is_restricted(self) -> bool:
        """Global value sets are always restricted; fields are unless the mapping says not."""
        return True if self.global_value_set is not None else self.restricted is not False

    @property
    def target_key(self) -> str:
        """Names the Salesforce picklist: `field:Product2.Color__c` or `global_value_set:Sizes`."""
        return f"field:{self.field}" if self.field is not None else f"global_value_set:{self.global_value_set}"


class SalesforceMapping(_Strict):
    version: Literal[1] = 1
    master_locale: str
    languages: dict[str, str] = Field(default_factory=dict)
    missing_master_label: MissingMasterLabel = "hold_back"
    attributes: dict[str, AttributeTarget] = Field(min_length=1)

    @field_validator("master_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if not AKENEO_LOCALE.match(value):
            raise ValueError(f"{value!r} is not an Akeneo locale code such as en_US")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: dict[str, str]) -> dict[str, str]:
        for locale, language in value.items():
            if not AKENEO_LOCALE.match(locale):
                raise ValueError(f"{locale!r} is not an Akeneo locale code such as fr_FR")
            if not isinstance(language, str) or not SALESFORCE_LANGUAGE.match(language):
                raise ValueError(f"{language!r} (for {locale}) is not a Salesforce language code such as fr or pt_BR")
        return value

    def label_policy(self, attribute_code: str) -> MissingMasterLabel:
        own = self.attributes[attribute_code].missing_master_label
        return own if own is not None else self.missing_master_label

    def digest(self, attribute_code: str) -> str:
        """What a deploy of this attribute depends on in the mapping: a change here (another
        field, a new language, a record type) makes the attribute deploy again."""
        body = {"target": self.attributes[attribute_code].model_dump(mode="json"), "master": self.master_locale,
                "languages": dict(sorted(self.languages.items())), "policy": self.label_policy(attribute_code)}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MappingProblem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}" + (f" ({self.path})" if self.path else "") + f": {self.message}"


class MappingError(ValueError):
    """The mapping file is unusable; one `MappingProblem` per offending line."""

    def __init__(self, source: str, problems: Iterable[MappingProblem]) -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.path))
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"Salesforce mapping {source} has {len(self.problems)} problem(s) "
                         f"(fix the file SALESFORCE_MAPPING_FILE names):\n{lines}")


def load_mapping(path: Path) -> SalesforceMapping:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(str(path), [MappingProblem(None, "", f"cannot be read ({exc.strerror})")]) from None
    return parse_mapping(text, str(path))


def parse_mapping(text: str, source: str = "<mapping>") -> SalesforceMapping:
    """Validate `text`; every problem found is reported at once, each with its line."""
    lined = load_lined_yaml(text)
    problems = [_problem(lined, p) for p in lined.problems]
    if lined.data is None:
        if not problems:
            problems.append(MappingProblem(None, "", "is empty: it needs master_locale and attributes"))
        raise MappingError(source, problems)
    if not isinstance(lined.data, dict):
        raise MappingError(source, [*problems, MappingProblem(lined.line_of(()), "",
                                                              "must be a mapping (key: value lines) at the top")])
    try:
        mapping = SalesforceMapping.model_validate(lined.data)
    except ValidationError as exc:
        raise MappingError(source, [*problems, *(_pydantic_problem(lined, e) for e in exc.errors())]) from None
    problems += [_problem(lined, p) for p in _cross_checks(mapping)]
    if problems:
        raise MappingError(source, problems)
    return mapping


def _cross_checks(mapping: SalesforceMapping) -> list[YamlProblem]:
    """Rules that span several keys, reported at the key that breaks them."""
    out: list[YamlProblem] = []
    if mapping.master_locale in mapping.languages:
        out.append(YamlProblem(None, ("languages", mapping.master_locale),
                               f"{mapping.master_locale} is the master_locale: its labels are the master labels, "
                               "not a translation"))
    seen_languages: dict[str, str] = {}
    for locale, language in mapping.languages.items():
        if language in seen_languages:
            out.append(YamlProblem(None, ("languages", locale),
                                   f"{locale} and {seen_languages[language]} both map to Salesforce language "
                                   f"{language}: one Akeneo locale per language"))
        seen_languages.setdefault(language, locale)
    targets: dict[str, str] = {}
    record_type_labels: dict[tuple[str, str], tuple[str, str]] = {}
    for code, target in mapping.attributes.items():
        at = ("attributes", code)
        if target.field is None and target.global_value_set is None:
            out.append(YamlProblem(None, at, "needs field: Object.Field__c or global_value_set: Name"))
            continue
        if target.field is not None and target.global_value_set is not None:
            out.append(YamlProblem(None, (*at, "global_value_set"),
                                   "give field or global_value_set, not both"))
            continue
        if target.global_value_set is not None:
            for key in ("restricted", "visible_lines", "record_types"):
                if getattr(target, key) not in (None, ()):
                    out.append(YamlProblem(None, (*at, key),
                                           f"{key} applies to a field; a global value set is always restricted "
                                           "and its fields' record types are set on those fields"))
        key = api_name_key(target.target_key)
        if key in targets:
            out.append(YamlProblem(None, (*at, "field" if target.is_field else "global_value_set"),
                                   f"{target.target_key.split(':', 1)[1]} is already the target of attribute "
                                   f"{targets[key]}"))
        targets.setdefault(key, code)
        if target.field is None:
            continue
        names: set[str] = set()
        for i, record_type in enumerate(target.record_types):
            where = (*at, "record_types", i)
            if record_type.name.casefold() in names:
                out.append(YamlProblem(None, where, f"record type {record_type.name} is listed twice"))
                continue
            names.add(record_type.name.casefold())
            rt_key = (target.object_name.casefold(), record_type.name.casefold())
            label = record_type.display_label
            if rt_key in record_type_labels and record_type_labels[rt_key][0] != label:
                other_label, other = record_type_labels[rt_key]
                out.append(YamlProblem(None, where, f"record type {target.object_name}.{record_type.name} has label "
                                                    f"{label!r} here and {other_label!r} under attribute {other}"))
            record_type_labels.setdefault(rt_key, (label, code))
    return out


def _problem(lined: LinedYaml, problem: YamlProblem) -> MappingProblem:
    line = problem.line if problem.line is not None else lined.line_of(problem.path)
    return MappingProblem(line, _dotted(problem.path), problem.message)


def _pydantic_problem(lined: LinedYaml, error: Any) -> MappingProblem:
    path = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in ("function-before", "function-after")))
    kind = error["type"]
    if kind == "extra_forbidden":
        message = f"unknown key {path[-1]!r}"
        return MappingProblem(lined.line_of(path, key=True), _dotted(path[:-1]), message)
    if kind == "missing":
        return MappingProblem(lined.line_of(path), _dotted(path[:-1]), f"{path[-1]} is required")
    message = error["msg"].removeprefix("Value error, ")
    if kind in ("literal_error", "bool_parsing", "int_parsing", "string_type", "dict_type", "tuple_type"):
        message = f"{message} (got {error.get('input')!r})"
    return MappingProblem(lined.line_of(path), _dotted(path), message)


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)
