-- Categories; a null parent marks the root of a tree.
select
    code as category_code,
    parent as parent_code,
    position,
    updated,
    labels
from {{ source('akeneo', 'categories') }}
