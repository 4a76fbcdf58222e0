-- One row per product value; `data` is JSON whose shape depends on the attribute type.
select
    product_uuid,
    attribute_code,
    locale as locale_code,
    scope as channel_code,
    data
from {{ source('akeneo', 'product_values') }}
