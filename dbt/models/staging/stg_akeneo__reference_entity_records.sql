-- Reference entity records, keyed by (reference_entity_code, record_code).
select
    reference_entity_code,
    code as record_code,
    created as created_at,
    updated as updated_at
from {{ source('akeneo', 'reference_entity_records') }}
