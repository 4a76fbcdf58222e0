-- Every product ever seen, deleted ones included (deleted_at set): marts keep only live ones.
select
    uuid as product_uuid,
    identifier,
    enabled as is_enabled,
    family as family_code,
    parent as parent_code,
    categories,
    {{ adapter.quote('groups') }} as group_codes,
    created,
    updated,
    extracted_at,
    deleted_at,
    deleted_at is null as is_live
from {{ source('akeneo', 'products') }}
