-- Reference entities (Enterprise): brands, materials... whose records products link to.
select
    code as reference_entity_code,
    image,
    labels
from {{ source('akeneo', 'reference_entities') }}
