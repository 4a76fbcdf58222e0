-- A family variant's code is unique only within its family.
select
    family_code,
    code as family_variant_code,
    variant_attribute_sets,
    labels
from {{ source('akeneo', 'family_variants') }}
