select
    code as association_type_code,
    is_quantified,
    is_two_way,
    labels
from {{ source('akeneo', 'association_types') }}
