-- The picklist change feed for analysts: each change with its attribute's type and
-- whether the option is still active now. attribute_type is null once Akeneo no
-- longer has the attribute (attribute_removed).
select
    c.change_id,
    c.detected_at,
    c.run_id,
    c.attribute_code,
    a.attribute_type,
    c.option_code,
    c.change_type,
    c.locale_code,
    c.old_label,
    c.new_label,
    c.old_sort_order,
    c.new_sort_order,
    cur.is_active as option_is_active_now,
    c.source,
    c.table_column
from {{ ref('stg_picklists__changes') }} as c
left join {{ ref('stg_akeneo__attributes') }} as a
    on a.attribute_code = c.attribute_code
left join {{ ref('stg_picklists__current') }} as cur
    on cur.attribute_code = c.attribute_code and cur.option_code = c.option_code
    and cur.table_column is not distinct from c.table_column
