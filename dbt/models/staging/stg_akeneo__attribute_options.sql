-- Attribute options (picklist entries): an option code is unique only within its attribute.
select
    attribute_code,
    code as option_code,
    sort_order,
    labels
from {{ source('akeneo', 'attribute_options') }}
