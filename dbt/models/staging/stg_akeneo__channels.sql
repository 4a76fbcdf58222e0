-- Channels (Akeneo's scopes). Lists stay JSON arrays; labels stay a {locale: label} object.
select
    code as channel_code,
    category_tree,
    locales,
    currencies,
    labels
from {{ source('akeneo', 'channels') }}
