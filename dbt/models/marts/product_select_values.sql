-- Every select value of every live product, once per enabled locale with the option's
-- label in that locale (null when the option has no label there, or is unknown).
-- `source` says what the value picks from, as in picklist_current:
--   attribute_option         a simpleselect value is one option code; a multiselect value a list of them;
--   reference_entity_record  an akeneo_reference_entity value is one record code of the attribute's
--                            entity (`reference_data_name`), a _collection value a list of them
--                            (docs/concepts_products.md); the label is the record's `label` value;
--   table_select_option      a pim_catalog_table value is a list of rows, each cell of a `select` column
--                            one option code of that column (`table_column`).
-- Codes match case-insensitively, as in Akeneo (pim-community-dev issue 12100,
-- PR 16751): a value may keep another case than the option's code, so `Red` is the
-- option `red` and is reported under the option's own spelling.
-- Grain: product, attribute, value locale, value channel, table column, option, label locale.
with select_values as (
    select v.product_uuid, v.attribute_code, v.locale_code, v.channel_code, v.data, a.attribute_type,
        a.reference_data_name
    from {{ ref('stg_akeneo__product_values') }} as v
    join {{ ref('stg_akeneo__attributes') }} as a
        on a.attribute_code = v.attribute_code
    join {{ ref('dim_products') }} as p
        on p.product_uuid = v.product_uuid
    where a.attribute_type in ('pim_catalog_simpleselect', 'pim_catalog_multiselect', 'akeneo_reference_entity',
                               'akeneo_reference_entity_collection', 'pim_catalog_table')
),

option_codes as (
    select product_uuid, attribute_code, locale_code, channel_code, attribute_type, reference_data_name,
        cast(null as varchar) as table_column, {{ json_scalar_text('data') }} as option_code
    from select_values
    where attribute_type in ('pim_catalog_simpleselect', 'akeneo_reference_entity')
    union all
    select s.product_uuid, s.attribute_code, s.locale_code, s.channel_code, s.attribute_type, s.reference_data_name,
        cast(null as varchar) as table_column, o.option_code
    from select_values as s
    cross join lateral (select {{ json_array_elements_text('s.data') }} as option_code) as o
    where s.attribute_type in ('pim_catalog_multiselect', 'akeneo_reference_entity_collection')
    union all
    select s.product_uuid, s.attribute_code, s.locale_code, s.channel_code, s.attribute_type, s.reference_data_name,
        c.column_code as table_column, {{ json_get_text('r.table_row', 'c.column_code') }} as option_code
    from select_values as s
    cross join lateral (select {{ json_array_elements('s.data') }} as table_row) as r
    join {{ ref('stg_akeneo__table_attribute_columns') }} as c
        on c.attribute_code = s.attribute_code and c.data_type = 'select'
    where s.attribute_type = 'pim_catalog_table'
),

record_labels as (
    select reference_entity_code, record_code, locale_code, {{ json_scalar_text('data') }} as label
    from {{ ref('stg_akeneo__reference_entity_record_values') }}
    where attribute_code = 'label' and channel_code is null
)

-- distinct: a multiselect holding one option in two spellings (`red`, `Red`) is one value.
select distinct
    c.product_uuid,
    c.attribute_code,
    c.locale_code,
    c.channel_code,
    case
        when c.attribute_type in ('akeneo_reference_entity', 'akeneo_reference_entity_collection')
            then 'reference_entity_record'
        when c.attribute_type = 'pim_catalog_table' then 'table_select_option'
        else 'attribute_option'
    end as source,
    c.table_column,
    coalesce(ao.option_code, rr.record_code, tso.option_code, c.option_code) as option_code,
    l.locale_code as label_locale_code,
    coalesce({{ json_get_text('ao.labels', 'l.locale_code') }}, rl.label,
             {{ json_get_text('tso.labels', 'l.locale_code') }}) as option_label
from option_codes as c
cross join {{ ref('stg_akeneo__locales') }} as l
left join {{ ref('stg_akeneo__attribute_options') }} as ao
    on c.attribute_type in ('pim_catalog_simpleselect', 'pim_catalog_multiselect')
    and ao.attribute_code = c.attribute_code and lower(ao.option_code) = lower(c.option_code)
left join {{ ref('stg_akeneo__reference_entity_records') }} as rr
    on c.attribute_type in ('akeneo_reference_entity', 'akeneo_reference_entity_collection')
    and rr.reference_entity_code = c.reference_data_name and lower(rr.record_code) = lower(c.option_code)
left join record_labels as rl
    on rl.reference_entity_code = rr.reference_entity_code and rl.record_code = rr.record_code
    and rl.locale_code = l.locale_code
left join {{ ref('stg_akeneo__table_select_options') }} as tso
    on c.attribute_type = 'pim_catalog_table'
    and tso.attribute_code = c.attribute_code and tso.column_code = c.table_column
    and lower(tso.option_code) = lower(c.option_code)
where c.option_code is not null
  and l.is_enabled
