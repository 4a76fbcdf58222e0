select
    code as currency_code,
    cast({{ json_get_text('raw', "'enabled'") }} as boolean) as is_enabled,
    {{ json_get_text('raw', "'label'") }} as label
from {{ source('akeneo', 'currencies') }}
