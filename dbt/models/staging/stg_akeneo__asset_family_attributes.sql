-- The attributes of each asset family's assets.
select
    asset_family_code,
    code as attribute_code,
    type as attribute_type,
    value_per_locale as is_localizable,
    value_per_channel as is_scopable,
    is_required_for_completeness,
    is_read_only,
    media_type,
    labels
from {{ source('akeneo', 'asset_family_attributes') }}
