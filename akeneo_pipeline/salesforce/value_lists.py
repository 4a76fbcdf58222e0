"""What the Salesforce target consumes: each touched attribute's whole ordered value list.

Salesforce replaces a picklist's whole value list on every Metadata API deploy, so a
change row alone is not enough: the target needs, per attribute, every option
`picklist_current` holds (removed ones included, `active = false`), plus which span
of change ids that list reflects. This module is that input and nothing else: the
feed (or the warehouse) builds a `ValueListSpan`, the target turns it into a deploy.

One `AttributeOption` is one row of `picklist_current`; one `AttributeValueList` is one
attribute of `picklist_attributes` with its rows. Codes are kept byte for byte, as
the picklist tables keep them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AttributeType = Literal["single_select", "multi_select"]
"""Akeneo's simple select (and reference-data / reference-entity single link) or multi select."""

SourceKind = Literal["attribute_option", "reference_entity_record", "table_select_option"]
"""Where the values come from in Akeneo: attribute options, reference entity records (a
reference-entity attribute's picklist) or the options of a table attribute's select column."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AttributeOption(_Frozen):
    """One value as `picklist_current` holds it."""

    code: str = Field(min_length=1, description="Akeneo's option code; the Salesforce value's API name")
    sort_order: int | None = Field(default=None, description="Akeneo's sort_order; None sorts last")
    labels: dict[str, str] = Field(default_factory=dict, description="{Akeneo locale: label}")
    active: bool = Field(default=True, description="False once the option was removed from Akeneo")


class AttributeValueList(_Frozen):
    """One attribute's whole value list: every option ever seen, removed ones inactive."""

    attribute_code: str = Field(min_length=1)
    attribute_type: AttributeType
    source: SourceKind = "attribute_option"
    labels: dict[str, str] = Field(default_factory=dict, description="the attribute's labels {locale: label}")
    auto_option_sorting: bool = Field(default=False, description="Akeneo sorts the options by label")
    options: tuple[AttributeOption, ...] = ()

    @model_validator(mode="after")
    def _codes_unique(self) -> AttributeValueList:
        seen: set[str] = set()
        for option in self.options:
            if option.code in seen:
                raise ValueError(f"attribute {self.attribute_code!r} lists option {option.code!r} twice")
            seen.add(option.code)
        return self

    def ordered(self) -> tuple[AttributeOption, ...]:
        """The options in list order: Akeneo's sort_order (options without one last), then code.

        Inactive options keep the place their last sort_order gives them, so a list read
        back from Salesforce compares with `picklist_current` position by position.
        """
        return tuple(sorted(self.options, key=lambda o: (o.sort_order is None, o.sort_order or 0, o.code)))


class ValueListSpan(_Frozen):
    """The value lists of the attributes changes `first_change_id`..`last_change_id` touched,
    each as of `last_change_id`. The span 0..0 is the baseline: the value sets as the first run
    recorded them, before any change (so a mapping set up before the first change deploys)."""

    first_change_id: int = Field(ge=0)
    last_change_id: int = Field(ge=0)
    value_lists: tuple[AttributeValueList, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> ValueListSpan:
        if self.last_change_id < self.first_change_id or (self.first_change_id == 0) != (self.last_change_id == 0):
            raise ValueError(f"change id span {self.first_change_id}..{self.last_change_id} is empty")
        codes = [v.attribute_code for v in self.value_lists]
        if len(codes) != len(set(codes)):
            raise ValueError("a span lists an attribute twice")
        return self
