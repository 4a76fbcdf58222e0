-- Channels (Akeneo's scopes). Lists stay JSON arrays; labels stay a {locale: label} object.
select
    code as channel_code,
    {{ json_get_text('raw', "'category_tree'") }} as category_tree,
    {{ json_get('raw', "'locales'") }} as locales,
    {{ json_get('raw', "'currencies'") }} as currencies,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'channels') }}
