-- Options of the single/multiple option attributes of reference entities.
select
    reference_entity_code,
    attribute_code,
    code as option_code,
    labels
from {{ source('akeneo', 'reference_entity_attribute_options') }}
