"""Salesforce's picklist rules, written once, each with the page it comes from.

- A deploy replaces the picklist's whole value list: "If picklist values are missing from
  a component definition, they get deactivated when deployed" (Metadata API Developer
  Guide, CustomValue: developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_customvalue.htm),
  and values "cannot be deleted from a picklist that has been saved to your organization"
  (Metadata API, Picklist: .../api_meta/meta_picklist.htm). So every option is deployed,
  removed ones with `isActive` false.
- Value counts (Salesforce Help, "Picklist Limitations",
  help.salesforce.com/HTViewHelpDoc?id=picklist_limitations.htm): "Restricted picklists have a
  combined active and inactive limit of 1,000 values. Unrestricted picklists have a limit of
  1,000 active values, and bound unrestricted picklists have a limit of 4,000 inactive values."
  A global value set "can have up to 1,000 total values (inclusive of inactive values)"
  (Metadata API, GlobalValueSet: .../api_meta/meta_globalvalueset.htm).
  The target applies one limit to every picklist, 1,000 values active and inactive together:
  Salesforce's documented limit for restricted picklists and global value sets (the two
  pages above), and the project's own rule for unrestricted ones, where it is stricter than
  the Help page's 1,000 active plus 4,000 inactive. Unrestricted picklists get no looser
  count because a list the target deploys keeps every removed option, so the inactive share
  only grows, and one rule for every kind of picklist keeps a re-mapping (restricted to
  unrestricted, field to global value set) from changing what is held back.
- 255 characters per value (same Help page: "each value can have up to 255 characters").
- API names are compared without regard to case, and to full or half width: Salesforce Help
  knowledge articles 000386557 ("Picklist fields are not case sensitive": "picklist values do
  not permit more than one entry with the same string (i.e., insensitive comparisons)") and
  000385675 (full-width/half-width and upper/lower case are not distinguished; "Duplicate
  values are not allowed").
- A multi-select picklist stores its selection as one string separated by semicolons
  (SOQL and SOSL Reference, "Query Multi-Select Picklists":
  developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/api/sforce_api_calls_soql_querying_multiselect_picklists.htm),
  so a value containing ";" cannot be told from two values.
- Translations name a value by its master label (`masterLabel` in GlobalValueSetTranslation
  .../api_meta/meta_globalvaluesettranslation.htm and in CustomObjectTranslation's picklist
  value translations .../api_meta/meta_customobjecttranslation.htm): two values sharing a
  master label cannot be translated apart.
"""

from __future__ import annotations

import unicodedata

MAX_VALUES = 1_000  # active and inactive together, every kind of picklist (see above)
MAX_NAME_LENGTH = 255
MAX_LABEL_LENGTH = 255
MULTI_SELECT_SEPARATOR = ";"


def api_name_key(name: str) -> str:
    """The form under which Salesforce compares two API names: width- and case-insensitive."""
    return unicodedata.normalize("NFKC", name).casefold()


def xml_unwritable(text: str) -> str | None:
    """The first character XML 1.0 cannot carry (a Metadata API file is XML), or None.

    XML 1.0 section 2.2 allows tab, line feed, carriage return and everything from U+0020
    except surrogates and U+FFFE/U+FFFF.
    """
    for ch in text:
        cp = ord(ch)
        if cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF:
            continue
        return ch
    return None
