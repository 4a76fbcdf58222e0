"""The Salesforce picklist target: Akeneo value lists in, checked Metadata API deploys out.

Plain Python (no Dagster): an asset, a script or a test calls `deploy_value_lists` with a
`ValueListSpan` (value_lists.py), the user's mapping (mapping.py, docs/salesforce.md),
`SalesforceSettings` and a `DeployedPositions` store (bookkeeping.py).

    settings.py      SalesforceSettings: SALESFORCE_*, validated once (the secret a SecretStr)
    value_lists.py   the input: each touched attribute's whole ordered value list + the change-id span
    mapping.py       the YAML mapping file, validated with line numbers (yaml_lines.py)
    rules.py         Salesforce's limits and comparison rules, each with its source
    checks.py        what holds an attribute back before any deploy
    metadata_xml.py  the Metadata API files, written deterministically
    package.py       the deploy zip of a span
    transport.py     httpx, retries, the OAuth client credentials token, error answers
    client.py        the REST deployRequest resource: deploy, poll the status
    bookkeeping.py   last deployed change id per attribute, written after success only
    deploy.py        one run: plan, check, deploy (or a dry-run package), record
"""

from akeneo_pipeline.salesforce.bookkeeping import (
    CallbackPositions,
    DeployedPosition,
    DeployedPositions,
    JsonFilePositions,
)
from akeneo_pipeline.salesforce.checks import HeldBack, check_value_list
from akeneo_pipeline.salesforce.client import MetadataClient
from akeneo_pipeline.salesforce.deploy import SalesforceDeployResult, deploy_value_lists
from akeneo_pipeline.salesforce.errors import (
    SalesforceAuthError,
    SalesforceConnectionError,
    SalesforceDeployError,
    SalesforceDeployTimeout,
    SalesforceError,
    SalesforceHTTPError,
)
from akeneo_pipeline.salesforce.mapping import MappingError, SalesforceMapping, load_mapping, parse_mapping
from akeneo_pipeline.salesforce.package import DeployPackage, build_package
from akeneo_pipeline.salesforce.value_lists import AttributeOption, AttributeValueList, ValueListSpan

__all__ = [
    "AttributeOption", "AttributeValueList", "CallbackPositions", "DeployPackage", "DeployedPosition",
    "DeployedPositions", "HeldBack", "JsonFilePositions", "MappingError", "MetadataClient", "SalesforceAuthError",
    "SalesforceConnectionError", "SalesforceDeployError", "SalesforceDeployResult", "SalesforceDeployTimeout",
    "SalesforceError", "SalesforceHTTPError", "SalesforceMapping", "ValueListSpan", "build_package",
    "check_value_list", "deploy_value_lists", "load_mapping", "parse_mapping",
]
