select
    code as currency_code,
    enabled as is_enabled,
    label
from {{ source('akeneo', 'currencies') }}
