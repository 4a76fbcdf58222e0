select
    code as attribute_group_code,
    cast({{ json_get_text('raw', "'sort_order'") }} as integer) as sort_order,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'attribute_groups') }}
