-- A family variant's code is unique only within its family.
select
    family_code,
    code as family_variant_code,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'family_variants') }}
