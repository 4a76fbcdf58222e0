-- Categories; a null parent marks the root of a tree.
select
    code as category_code,
    {{ json_get_text('raw', "'parent'") }} as parent_code,
    {{ json_get('raw', "'labels'") }} as labels
from {{ source('akeneo', 'categories') }}
