-- The attributes of each reference entity's records.
select
    reference_entity_code,
    code as attribute_code,
    type as attribute_type,
    value_per_locale as is_localizable,
    value_per_channel as is_scopable,
    is_required_for_completeness,
    labels
from {{ source('akeneo', 'reference_entity_attributes') }}
