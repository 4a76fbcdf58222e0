"""The demo's Salesforce side: the sandbox Salesforce org on 127.0.0.1, a mapping file for the
sandbox catalog's select attributes, SALESFORCE_* pointing at the org, and a short summary of
what the `salesforce/picklists` asset deployed, read back from the org (its Setup view)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from akeneo_pipeline.sandbox_salesforce import SalesforceSandboxConfig, SandboxSalesforce

DEMO_MAPPING = """\
# The demo's mapping: Akeneo select attributes -> Salesforce picklists (docs/salesforce.md).
master_locale: en_US
languages: {fr_FR: fr, de_DE: de}
missing_master_label: use_code
attributes:
  color: {field: Product2.Color__c, record_types: [Retail]}
  size: {field: Product2.Size__c}
  brand: {field: Product2.Brand__c}
  material: {global_value_set: Materials}
"""
SHOWN = {"color": "fields/Product2.Color__c", "size": "fields/Product2.Size__c",
         "brand": "fields/Product2.Brand__c", "material": "global-value-sets/Materials"}


@contextmanager
def start_org(data_dir: Path) -> Iterator[SandboxSalesforce]:
    """The sandbox org, running, with SALESFORCE_* (and the mapping file) pointing at it."""
    with SandboxSalesforce(SalesforceSandboxConfig(), host="127.0.0.1", port=0) as org:
        _point_at(org, data_dir)
        yield org


def _point_at(org: SandboxSalesforce, data_dir: Path) -> None:
    mapping = data_dir / "salesforce-mapping.yaml"
    mapping.parent.mkdir(parents=True, exist_ok=True)
    mapping.write_text(DEMO_MAPPING, encoding="utf-8")
    credentials = org.credentials
    os.environ.update(SALESFORCE_INSTANCE_URL=credentials["instance_url"],
                      SALESFORCE_CLIENT_ID=credentials["client_id"],
                      SALESFORCE_CLIENT_SECRET=credentials["client_secret"],
                      SALESFORCE_MAPPING_FILE=str(mapping), SALESFORCE_POLL_INTERVAL="0.2")


def report_org(org: SandboxSalesforce) -> None:
    """Per mapped attribute: the values the org holds (active / inactive) and its translations."""
    print(f"\n== Salesforce (sandbox org at {org.base_url}): {len(org.applied_deploys)} deploy(s) applied")
    with httpx.Client(base_url=org.base_url, timeout=10.0) as http:
        for attribute, route in SHOWN.items():
            answer = http.get(f"/_sandbox/{route}")
            target = route.split("/", 1)[1]
            if answer.status_code != 200:
                print(f"   {attribute:<10} -> {target:<20} not deployed")
                continue
            body = answer.json()
            inactive = [v["fullName"] for v in body["values"] if not v["isActive"]]
            languages = ", ".join(f"{lang} {len(texts)}" for lang, texts in body["translations"].items()) or "none"
            print(f"   {attribute:<10} -> {target:<20} {len(body['values']) - len(inactive)} active, "
                  f"{len(inactive)} inactive{' (' + ', '.join(inactive[:3]) + ')' if inactive else ''}; "
                  f"translations: {languages}")
