select
    code as association_type_code,
    cast({{ json_get_text('raw', "'is_quantified'") }} as boolean) as is_quantified,
    cast({{ json_get_text('raw', "'is_two_way'") }} as boolean) as is_two_way,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'association_types') }}
