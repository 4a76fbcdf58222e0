-- The current option snapshot; options Akeneo no longer lists stay with is_active = false.
select
    attribute_code,
    option_code,
    sort_order,
    labels,
    active as is_active
from {{ source('picklists', 'picklist_current') }}
