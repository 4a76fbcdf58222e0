-- One row per live product (deleted_at is null): what the catalog holds right now.
-- family_label is the family's label in var('label_locale'), null when it has none.
select
    p.product_uuid,
    p.identifier,
    p.family_code,
    {{ json_get_text('f.labels', "'" ~ var('label_locale') ~ "'") }} as family_label,
    p.parent_code,
    p.is_enabled,
    p.categories,
    p.created,
    p.updated
from {{ ref('stg_akeneo__products') }} as p
left join {{ ref('stg_akeneo__families') }} as f
    on f.family_code = p.family_code
where p.is_live
