-- One row per asset value; a media file value's data is the file's code.
select
    asset_family_code,
    asset_code,
    attribute_code,
    locale as locale_code,
    channel as channel_code,
    data
from {{ source('akeneo', 'asset_values') }}
