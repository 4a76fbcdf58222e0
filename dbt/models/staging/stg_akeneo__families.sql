select
    code as family_code,
    attribute_as_label,
    attribute_as_image,
    attributes as attribute_codes,
    labels
from {{ source('akeneo', 'families') }}
