-- Every product model ever seen, deleted ones included (deleted_at set).
select
    code as product_model_code,
    family as family_code,
    family_variant as family_variant_code,
    parent as parent_code,
    categories,
    created,
    updated,
    extracted_at,
    deleted_at,
    deleted_at is null as is_live
from {{ source('akeneo', 'product_models') }}
