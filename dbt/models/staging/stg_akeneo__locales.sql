-- Locales; only enabled ones are activated on some channel.
select
    code as locale_code,
    enabled as is_enabled
from {{ source('akeneo', 'locales') }}
