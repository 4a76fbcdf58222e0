-- Every select value of every live product, once per enabled locale with the option's
-- label in that locale (null when the option has no label there, or is unknown).
-- A simpleselect value is one option code; a multiselect value a list of them.
-- Option codes match case-insensitively, as in Akeneo (pim-community-dev issue 12100,
-- PR 16751): a value may keep another case than the option's code, so `Red` is the
-- option `red` and is reported under the option's own spelling.
-- Grain: product, attribute, value locale, value channel, option, label locale.
with select_values as (
    select v.product_uuid, v.attribute_code, v.locale_code, v.channel_code, v.data, a.attribute_type
    from {{ ref('stg_akeneo__product_values') }} as v
    join {{ ref('stg_akeneo__attributes') }} as a
        on a.attribute_code = v.attribute_code
    join {{ ref('dim_products') }} as p
        on p.product_uuid = v.product_uuid
    where a.attribute_type in ('pim_catalog_simpleselect', 'pim_catalog_multiselect')
),

option_codes as (
    select product_uuid, attribute_code, locale_code, channel_code, {{ json_scalar_text('data') }} as option_code
    from select_values
    where attribute_type = 'pim_catalog_simpleselect'
    union all
    select s.product_uuid, s.attribute_code, s.locale_code, s.channel_code, o.option_code
    from select_values as s
    cross join lateral (select {{ json_array_elements_text('s.data') }} as option_code) as o
    where s.attribute_type = 'pim_catalog_multiselect'
)

-- distinct: a multiselect holding one option in two spellings (`red`, `Red`) is one value.
select distinct
    c.product_uuid,
    c.attribute_code,
    c.locale_code,
    c.channel_code,
    coalesce(ao.option_code, c.option_code) as option_code,
    l.locale_code as label_locale_code,
    {{ json_get_text('ao.labels', 'l.locale_code') }} as option_label
from option_codes as c
cross join {{ ref('stg_akeneo__locales') }} as l
left join {{ ref('stg_akeneo__attribute_options') }} as ao
    on ao.attribute_code = c.attribute_code and lower(ao.option_code) = lower(c.option_code)
where c.option_code is not null
  and l.is_enabled
