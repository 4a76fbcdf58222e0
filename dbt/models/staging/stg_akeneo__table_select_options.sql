-- The options of each table attribute's select columns.
select
    attribute_code,
    column_code,
    code as option_code,
    {{ adapter.quote('position') }} as option_position,
    labels
from {{ source('akeneo', 'table_select_options') }}
