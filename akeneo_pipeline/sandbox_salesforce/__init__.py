"""A sandbox Salesforce on 127.0.0.1, for the tests and the demo. It is NOT a real org and
not a Salesforce emulator: it models the few behaviours a picklist deploy depends on, each
from a named Salesforce document, and is strict where the documents are silent.

    from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce
    with SandboxSalesforce() as org:
        org.credentials   # {"instance_url", "client_id", "client_secret"}: the SALESFORCE_* values

CLI: `python -m akeneo_pipeline.sandbox_salesforce serve --port 8766`. Plain Python on the
stdlib HTTP server; it imports nothing of the product (like the sandbox Akeneo), so it does
not share the target's reading of the documents.

What it serves, and where each behaviour comes from:
- OAuth 2.0 client credentials token endpoint `POST /services/oauth2/token` (Salesforce Help,
  "OAuth 2.0 Client Credentials Flow for Server-to-Server Integration"; errors as RFC 6749
  section 5.2). auth.py.
- Metadata API REST deploy: `POST /services/data/vXX.X/metadata/deployRequest` (multipart:
  `json` deployOptions + `file` zip), status `GET .../deployRequest/{id}?includeDetails=true`,
  asynchronous: Pending/InProgress until polled `polls_before_done` times, then Succeeded
  or Failed with `componentFailures` (Metadata API Developer Guide, meta_rest_deploy.htm,
  meta_rest_deploy_checkstatus.htm, DeployResult). deploys.py, metadata_zip.py.
- Read-back: the UI API's `GET /services/data/vXX.X/ui-api/object-info/{object}` and
  `.../picklist-values/{recordTypeId}/{field}` (User Interface API Developer Guide, "Get
  Values for a Picklist Field", response "Picklist Values"): active values, in order, for the
  master record type 012000000000000AAA or a record type; global value sets, inactive values
  and translations through the admin routes (admin.py), as a real org shows them in Setup.

Rules a deploy must pass (org.py has each with its quote):
- a deploy replaces the whole value list; values left out become inactive (CustomValue);
- values are never deleted (Picklist; destructiveChanges.xml is refused);
- at most 1,000 values active and inactive per picklist: documented for restricted picklists
  and global value sets (Help, "Picklist Limitations"; GlobalValueSet); applied to unrestricted
  picklists too, where Help allows 1,000 active and 4,000 inactive (the project's rule: the
  sandbox is stricter than a real org there);
- 255 characters per value label and API name (Help, "Picklist Limitations");
- API names compare case- and width-insensitively (Help articles 000386557, 000385675);
- translations are keyed by the value's master label (GlobalValueSetTranslation,
  CustomObjectTranslation) and need the language enabled (Translation Workbench).
Modelling choices where the documents are silent are marked as such in org.py.
"""

from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig
from akeneo_pipeline.sandbox_salesforce.org import MASTER_RECORD_TYPE_ID
from akeneo_pipeline.sandbox_salesforce.server import SandboxSalesforce

__all__ = ["MASTER_RECORD_TYPE_ID", "SalesforceSandboxConfig", "SandboxSalesforce"]
