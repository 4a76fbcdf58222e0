"""Deploy a zip through the Metadata API and wait for Salesforce's verdict.

The REST resource is used rather than the SOAP `deploy()` / `checkDeployStatus()` calls:
it takes the zip as a binary multipart part (no base64 inside a SOAP envelope), answers
JSON, and is documented for exactly this (Metadata API Developer Guide, "Deploy Metadata
with Apex Testing Using REST", .../api_meta/meta_rest_deploy.htm):

- `POST /services/data/vXX.X/metadata/deployRequest`, `multipart/form-data` with a `json`
  part (`{"deployOptions": {...}}`) and a `file` part (the zip, `application/zip`); Salesforce
  answers 201 with the deploy request's `id`.
- `GET /services/data/vXX.X/metadata/deployRequest/<id>?includeDetails=true` ("Check the
  Status of Your Deployment Using REST Resources", meta_rest_deploy_checkstatus.htm) answers
  `deployResult`: `done`, `status` (Pending, InProgress, Succeeded, SucceededPartial, Failed,
  Canceling, Canceled), `success`, `errorMessage` and `details.componentFailures`.

Deploy options: `singlePackage` (package.xml sits at the zip's root), `rollbackOnError`
(all or nothing, so a failed deploy leaves the org as it was and nothing is recorded), no
`testLevel` (Salesforce's default runs no tests for a deploy without Apex code).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from akeneo_pipeline.salesforce.errors import (
    ComponentFailure,
    SalesforceDeployError,
    SalesforceDeployTimeout,
    SalesforceHTTPError,
)
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.salesforce.transport import SalesforceTransport

log = logging.getLogger("akeneo_pipeline.salesforce")

DEPLOY_OPTIONS = {"singlePackage": True, "rollbackOnError": True, "checkOnly": False, "ignoreWarnings": False}


@dataclass(frozen=True)
class DeployStatus:
    deploy_id: str
    done: bool
    status: str
    success: bool
    failures: tuple[ComponentFailure, ...] = ()
    error_message: str | None = None


class MetadataClient:
    """`deploy(zip)` -> the deploy's id; `wait(id)` -> its final status (raising if it failed)."""

    def __init__(self, settings: SalesforceSettings, transport: SalesforceTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.transport = transport or SalesforceTransport(settings)
        self._sleep = sleep
        self._base = f"/services/data/v{settings.api_version}/metadata/deployRequest"

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> MetadataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def deploy(self, zip_bytes: bytes) -> str:
        files = {"json": (None, json.dumps({"deployOptions": DEPLOY_OPTIONS}).encode(), "application/json"),
                 "file": ("deploy.zip", zip_bytes, "application/zip")}
        response = self.transport.request("POST", self._base, files=files, expect=(200, 201))
        deploy_id = _body(response.json() if response.content else {}).get("id")
        if not isinstance(deploy_id, str) or not deploy_id:
            raise SalesforceHTTPError("the deploy request was answered without an id", method="POST",
                                      path=self._base, status=response.status_code)
        log.info("Salesforce accepted deploy %s (%d bytes)", deploy_id, len(zip_bytes))
        return deploy_id

    def status(self, deploy_id: str) -> DeployStatus:
        path = f"{self._base}/{deploy_id}"
        body = _body(self.transport.request("GET", path, params={"includeDetails": "true"}).json())
        result = body.get("deployResult")
        if not isinstance(result, dict):
            raise SalesforceHTTPError("the deploy status answer has no deployResult", method="GET", path=path)
        details = result.get("details") or {}
        failures = details.get("componentFailures") or []
        if isinstance(failures, dict):  # one failure may come as an object rather than a list
            failures = [failures]
        return DeployStatus(
            deploy_id=deploy_id, done=_true(result.get("done")), status=str(result.get("status") or ""),
            success=_true(result.get("success")),
            failures=tuple(ComponentFailure(f.get("componentType") or None, f.get("fullName") or None,
                                            f.get("fileName") or None, str(f.get("problem") or "no message"),
                                            f.get("problemType") or None)
                           for f in failures if isinstance(f, dict)),
            error_message=result.get("errorMessage") or None)

    def wait(self, deploy_id: str) -> DeployStatus:
        """Poll every SALESFORCE_POLL_INTERVAL seconds until done; Succeeded returns, anything else raises."""
        deadline = time.monotonic() + self.settings.deploy_timeout
        while True:
            state = self.status(deploy_id)
            if state.done:
                if state.status == "Succeeded" and state.success:
                    return state
                raise SalesforceDeployError(deploy_id, state.status or "without success", state.failures,
                                            state.error_message)
            if time.monotonic() >= deadline:
                raise SalesforceDeployTimeout(
                    f"Salesforce deploy {deploy_id} still {state.status or 'pending'} after "
                    f"{self.settings.deploy_timeout:.0f}s (SALESFORCE_DEPLOY_TIMEOUT); nothing was recorded as "
                    "deployed, the next run deploys the same lists again")
            self._sleep(self.settings.poll_interval)

    def deploy_and_wait(self, zip_bytes: bytes) -> DeployStatus:
        return self.wait(self.deploy(zip_bytes))


def _body(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _true(value: Any) -> bool:
    """The REST resource writes booleans as JSON booleans or as "true"/"false" strings (its own examples do)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")
