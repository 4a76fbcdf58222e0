select
    code as measurement_family_code,
    standard_unit_code,
    units,
    labels
from {{ source('akeneo', 'measurement_families') }}
