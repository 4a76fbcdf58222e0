-- Options of the single/multiple option attributes of asset families.
select
    asset_family_code,
    attribute_code,
    code as option_code,
    labels
from {{ source('akeneo', 'asset_family_attribute_options') }}
