"""Exceptions that carry what a person needs to act: the endpoint (method and path, never a
query or a header), the status, Salesforce's own message and the setting to fix. Secrets
never reach them: bodies are scrubbed of the client secret and access tokens before they
are kept (transport.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SalesforceError(Exception):
    """Base class of every failure of the Salesforce target."""

    def __init__(self, message: str, *, method: str | None = None, path: str | None = None,
                 status: int | None = None, salesforce_message: str | None = None, attempts: int = 1) -> None:
        self.method, self.path, self.status = method, path, status
        self.salesforce_message = salesforce_message
        self.attempts = attempts
        parts = [message]
        if path is not None:
            parts.append(f"endpoint: {method or 'GET'} {path}")
        if status is not None:
            parts.append(f"status: {status}")
        if salesforce_message:
            parts.append(f"Salesforce says: {salesforce_message}")
        if attempts > 1:
            parts.append(f"after {attempts} attempts")
        super().__init__("; ".join(parts))

    @property
    def endpoint(self) -> str | None:
        return None if self.path is None else f"{self.method or 'GET'} {self.path}"


class SalesforceAuthError(SalesforceError):
    """The OAuth token endpoint refused the connected app's credentials, or a fresh token was refused."""


class SalesforceHTTPError(SalesforceError):
    """An error status Salesforce kept answering, or a request it refused."""


class SalesforceConnectionError(SalesforceError):
    """No HTTP answer at all: unknown host, refused or dropped connections, timeouts."""


@dataclass(frozen=True)
class ComponentFailure:
    """One `componentFailures` entry of a DeployResult (Metadata API, DeployResult / DeployMessage)."""

    component_type: str | None
    full_name: str | None
    file_name: str | None
    problem: str
    problem_type: str | None = None

    def __str__(self) -> str:
        name = " ".join(p for p in (self.component_type, self.full_name) if p) or self.file_name or "package"
        return f"{name}: {self.problem}"


class SalesforceDeployError(SalesforceError):
    """Salesforce finished the deploy without success: `status` Failed, Canceled or
    SucceededPartial, with its component failures and error message."""

    def __init__(self, deploy_id: str, deploy_status: str, failures: Sequence[ComponentFailure],
                 error_message: str | None = None) -> None:
        self.deploy_id, self.deploy_status = deploy_id, deploy_status
        self.failures = tuple(failures)
        listed = "; ".join(str(f) for f in self.failures[:10])
        more = f" and {len(self.failures) - 10} more" if len(self.failures) > 10 else ""
        text = f"Salesforce deploy {deploy_id} ended {deploy_status}"
        if listed:
            text += f": {listed}{more}"
        super().__init__(text, salesforce_message=error_message)


class SalesforceDeployTimeout(SalesforceError):
    """The deploy was not done within SALESFORCE_DEPLOY_TIMEOUT. It may still finish: nothing
    was recorded as deployed, so the next run deploys the same lists again, harmlessly."""
