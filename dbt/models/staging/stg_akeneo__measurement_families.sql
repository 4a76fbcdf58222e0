select
    code as measurement_family_code,
    {{ json_get_text('raw', "'standard_unit_code'") }} as standard_unit_code,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'measurement_families') }}
