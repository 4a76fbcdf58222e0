-- The columns of each table attribute (pim_catalog_table), in order.
select
    attribute_code,
    code as column_code,
    {{ adapter.quote('position') }} as column_position,
    data_type,
    labels,
    validations,
    is_required_for_completeness
from {{ source('akeneo', 'table_attribute_columns') }}
