select
    code as attribute_group_code,
    sort_order,
    attributes as attribute_codes,
    labels
from {{ source('akeneo', 'attribute_groups') }}
