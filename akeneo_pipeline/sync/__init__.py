"""One run of a stream, callable by any orchestrator: Dagster assets, tests, scripts.

Plain Python over `akeneo/` (the client) and `storage/` (the Store); no Dagster.
"""

from akeneo_pipeline.sync.entities import REKEY_WARNING, EntitySync, sync_entities

__all__ = ["REKEY_WARNING", "EntitySync", "sync_entities"]
