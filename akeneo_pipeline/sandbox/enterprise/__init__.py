"""Enterprise and Growth data of the sandbox: reference entities and their records, Asset Manager
asset families and assets, table attributes and their select options, the product values linking to
them, and the `edition` knob deciding which of them a sandbox serves (editions.py).

Modules: editions (what each edition has), reference_entities, assets, table_attributes (the data and
its shapes), product_attributes (the product attributes and values using them), items (code-ordered
stores), filters (the record and asset `search`), routes (the REST paths), catalog (EnterpriseCatalog:
state, rendering, ground truth), mutations (the merchandiser's edits), admin (their admin routes).
"""
