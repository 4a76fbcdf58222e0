-- Asset Manager asset families (Enterprise).
select
    code as asset_family_code,
    attribute_as_main_media,
    labels,
    naming_convention,
    product_link_rules,
    transformations
from {{ source('akeneo', 'asset_families') }}
