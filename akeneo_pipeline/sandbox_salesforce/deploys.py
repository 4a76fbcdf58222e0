"""Deploy requests: accepted at once, applied to the org when accepted, reported done after a
few status polls (so a client must poll, as with Salesforce's asynchronous deploys).

Shapes follow the Metadata API Developer Guide's REST resource pages
("Deploy Metadata with Apex Testing Using REST", meta_rest_deploy.htm; "Check the Status
of Your Deployment Using REST Resources", meta_rest_deploy_checkstatus.htm) and DeployResult
(meta_deployresult.htm): `id`, `deployOptions`, `deployResult` with `done`, `status`
(Pending, InProgress, Succeeded, SucceededPartial, Failed), `success`, `errorMessage`,
component counts and, with `?includeDetails=true`, `details.componentFailures` /
`componentSuccesses` (DeployMessage: componentType, fullName, fileName, problem,
problemType, success, created, changed, deleted).

Applying at acceptance models what makes a client's crash matter: Salesforce carries on
with a deploy whether or not anyone polls it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from akeneo_pipeline.sandbox_salesforce.org import ComponentResult


@dataclass
class DeployJob:
    deploy_id: str
    options: dict[str, Any]
    created: str
    results: list[ComponentResult] = field(default_factory=list)
    error_message: str | None = None
    polls: int = 0

    @property
    def failed(self) -> bool:
        return self.error_message is not None or any(r.problem for r in self.results)

    def final_status(self) -> str:
        if not self.failed:
            return "Succeeded"
        rollback = bool(self.options.get("rollbackOnError", True))
        nothing_deployed = self.error_message is not None or all(r.problem for r in self.results)
        return "Failed" if rollback or nothing_deployed else "SucceededPartial"

    def result(self, done: bool, include_details: bool) -> dict[str, Any]:
        status = self.final_status() if done else "InProgress"
        failures = [r for r in self.results if r.problem]
        body: dict[str, Any] = {
            "id": self.deploy_id, "done": done, "status": status, "success": done and status == "Succeeded",
            "checkOnly": False, "ignoreWarnings": bool(self.options.get("ignoreWarnings", False)),
            "rollbackOnError": bool(self.options.get("rollbackOnError", True)),
            "createdDate": self.created, "completedDate": self.created if done else None,
            "numberComponentsTotal": len(self.results),
            "numberComponentsDeployed": (len(self.results) - len(failures)) if done else 0,
            "numberComponentErrors": len(failures) if done else 0,
            "numberTestsCompleted": 0, "numberTestsTotal": 0, "numberTestErrors": 0,
            "errorMessage": self.error_message if done else None,
            "errorStatusCode": "UNKNOWN_EXCEPTION" if done and self.error_message else None,
        }
        if include_details:
            body["details"] = {
                "componentFailures": [_message(r, False) for r in failures] if done else [],
                "componentSuccesses": [_message(r, True) for r in self.results if not r.problem] if done else [],
                "runTestResult": {"numRun": 0, "successes": [], "failures": []},
            }
        return body


def _message(result: ComponentResult, success: bool) -> dict[str, Any]:
    return {"componentType": result.component_type, "fullName": result.full_name, "fileName": result.file_name,
            "success": success, "changed": success, "created": False, "deleted": False,
            "problem": result.problem, "problemType": None if success else "Error"}


class DeployLog:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[str, DeployJob] = {}
        self.serial = 0

    def new(self, options: dict[str, Any]) -> DeployJob:
        with self.lock:
            self.serial += 1
            job = DeployJob(f"0Af5g{self.serial:010d}AAA", options,
                            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000"))
            self.jobs[job.deploy_id] = job
            return job

    def get(self, deploy_id: str) -> DeployJob | None:
        with self.lock:
            return self.jobs.get(deploy_id)

    def poll(self, job: DeployJob, polls_before_done: int) -> bool:
        """Count one status poll; True once the job reports done."""
        with self.lock:
            job.polls += 1
            return job.polls > polls_before_done
