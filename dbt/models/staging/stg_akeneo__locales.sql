-- Locales; only enabled ones are activated on some channel.
select
    code as locale_code,
    cast({{ json_get_text('raw', "'enabled'") }} as boolean) as is_enabled
from {{ source('akeneo', 'locales') }}
