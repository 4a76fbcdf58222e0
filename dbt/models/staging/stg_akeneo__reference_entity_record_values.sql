-- One row per record value; a record's label is its `label` attribute's value per locale.
select
    reference_entity_code,
    record_code,
    attribute_code,
    locale as locale_code,
    channel as channel_code,
    data
from {{ source('akeneo', 'reference_entity_record_values') }}
