"""A simulated Akeneo PIM REST API on 127.0.0.1, for the demo, the tests and the benchmarks.

    from akeneo_pipeline.sandbox import SandboxConfig, SandboxServer
    with SandboxServer(SandboxConfig(products=200, seed=1)) as sandbox:
        sandbox.base_url, sandbox.credentials, sandbox.catalog, sandbox.request_log

It follows Akeneo's REST API docs (authentication, pagination, filters, limits, error bodies).
Plain Python on the stdlib HTTP server: no Dagster here. The admin API is documented
in `akeneo_pipeline.sandbox.admin`; the CLI is `python -m akeneo_pipeline.sandbox serve`.
"""

from akeneo_pipeline.sandbox.catalog import STREAMS, Catalog
from akeneo_pipeline.sandbox.config import FAULT_KINDS, SandboxConfig
from akeneo_pipeline.sandbox.request_log import RequestLogEntry
from akeneo_pipeline.sandbox.server import SandboxServer

__all__ = ["FAULT_KINDS", "STREAMS", "Catalog", "RequestLogEntry", "SandboxConfig", "SandboxServer"]
