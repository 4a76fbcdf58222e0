-- Attributes; `attribute_type` (pim_catalog_simpleselect, ...) decides how a value's data reads.
select
    code as attribute_code,
    type as attribute_type,
    group_code as attribute_group_code,
    sort_order,
    localizable as is_localizable,
    scopable as is_scopable,
    {{ adapter.quote('unique') }} as is_unique,
    metric_family,
    default_metric_unit,
    reference_data_name,
    available_locales,
    labels
from {{ source('akeneo', 'attributes') }}
