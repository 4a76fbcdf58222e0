select
    code as family_code,
    {{ json_get_text('raw', "'attribute_as_label'") }} as attribute_as_label,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'families') }}
