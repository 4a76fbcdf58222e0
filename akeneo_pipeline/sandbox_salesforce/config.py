"""Every knob of the sandbox Salesforce in one dataclass (tests, the CLI and the admin route
`POST /_sandbox/configure` agree on names)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# Objects the sandbox org has. Custom objects (X__c) can be listed too; a field on any other
# object is refused the way Salesforce refuses an unknown entity.
STANDARD_OBJECTS = ("Account", "Asset", "Case", "Contact", "Lead", "Opportunity", "Order", "Product2")
# Languages switched on in the Translation Workbench (translations to others are refused).
LANGUAGES = ("de", "es", "fr", "it", "ja", "nl_NL", "pt_BR", "zh_CN")


@dataclass
class SalesforceSandboxConfig:
    client_id: str = "sandbox_sf_client"
    client_secret: str = "sandbox_sf_secret"
    token_lifetime: float = 7200.0  # seconds before a token answers 401 INVALID_SESSION_ID
    objects: tuple[str, ...] = STANDARD_OBJECTS
    languages: tuple[str, ...] = LANGUAGES
    master_language: str = "en_US"
    polls_before_done: int = 1  # status polls answered InProgress before a deploy reports done
    fail_status: int = 503  # the status answered while fail_requests > 0
    fail_requests: int = 0  # the next N requests (token and API) answer fail_status

    def __post_init__(self) -> None:
        if self.polls_before_done < 0 or self.fail_requests < 0:
            raise ValueError("polls_before_done and fail_requests must be 0 or more")
        if not 500 <= self.fail_status <= 599 and self.fail_status not in (408, 429):
            raise ValueError("fail_status must be a 5xx, 408 or 429")
        self.objects, self.languages = tuple(self.objects), tuple(self.languages)

    def with_changes(self, **changes: Any) -> SalesforceSandboxConfig:
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown sandbox Salesforce settings: {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

