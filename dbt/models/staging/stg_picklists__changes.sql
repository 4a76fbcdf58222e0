-- The picklist change feed, one row per change to an attribute option (or attribute).
-- `labels` holds the option's labels after the change (null for removals).
select
    change_id,
    detected_at,
    run_id,
    attribute_code,
    option_code,
    change_type,
    locale as locale_code,
    old_label,
    new_label,
    old_sort_order,
    new_sort_order,
    labels,
    source,
    table_column
from {{ source('picklists', 'picklist_changes') }}
