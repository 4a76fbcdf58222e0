"""The one Definitions object: what `dagster dev`, `dagster asset materialize` and the
tests load. Every piece is declared in `akeneo_pipeline/defs/`; this file only
gathers them.

Several Akeneo connections: see defs/deployment.py.

Steps run in one process: Akeneo allows 4 concurrent calls per connection, which
the client's single semaphore enforces only within a process, and an embedded
DuckDB file takes one writing process at a time.
"""

from __future__ import annotations

from akeneo_pipeline.connections import connections_from_env
from akeneo_pipeline.defs.deployment import build_definitions
from akeneo_pipeline.settings import AutomationSettings

automation = AutomationSettings()

# One connection from AKENEO_* (today's asset keys), or each of AKENEO_CONNECTIONS_FILE side by side.
defs = build_definitions(automation, connections_from_env())
