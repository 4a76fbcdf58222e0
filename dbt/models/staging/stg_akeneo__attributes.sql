-- Attributes; `attribute_type` (pim_catalog_simpleselect, ...) decides how a value's data reads.
select
    code as attribute_code,
    {{ json_get_text('raw', "'type'") }} as attribute_type,
    {{ json_get_text('raw', "'group'") }} as attribute_group_code,
    cast({{ json_get_text('raw', "'localizable'") }} as boolean) as is_localizable,
    cast({{ json_get_text('raw', "'scopable'") }} as boolean) as is_scopable,
    cast({{ json_get_text('raw', "'sort_order'") }} as integer) as sort_order,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'attributes') }}
