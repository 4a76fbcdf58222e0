-- Assets, keyed by (asset_family_code, asset_code); media are kept as codes and links, never downloaded.
select
    asset_family_code,
    code as asset_code,
    created as created_at,
    updated as updated_at
from {{ source('akeneo', 'assets') }}
