select
    product_model_code,
    attribute_code,
    locale as locale_code,
    scope as channel_code,
    data
from {{ source('akeneo', 'product_model_values') }}
