-- The current option snapshot; options Akeneo no longer lists stay with is_active = false.
select
    attribute_code,
    option_code,
    sort_order,
    labels,
    active as is_active,
    first_seen_at,
    changed_at,
    removed_at,
    last_change_id,
    source,
    table_column
from {{ source('picklists', 'picklist_current') }}
