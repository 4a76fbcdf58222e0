"""The Salesforce picklist target as an asset: `salesforce/picklists`, downstream of picklist_changes.

The work is `sync.sync_salesforce_picklists`: the value lists that changed since each mapped
attribute's last deploy, checked, deployed through the Metadata API (or, with no SALESFORCE_*
settings, written to SALESFORCE_PACKAGE_DIR as a dry-run package), positions recorded after
Salesforce's success only. Without a mapping file (SALESFORCE_MAPPING_FILE) there is nothing to
deploy: the asset says so and succeeds, so the nightly job runs for users without Salesforce.
The metadata carries counts, codes, rules and deploy ids; never a setting's value.
"""

# No `from __future__ import annotations`: Dagster reads the annotations of asset functions.
from dataclasses import asdict

import dagster as dg

from akeneo_pipeline.defs.keys import PICKLIST_CHANGES_ASSET, SALESFORCE_GROUP, SALESFORCE_PICKLISTS_ASSET
from akeneo_pipeline.defs.metadata import markdown_table
from akeneo_pipeline.defs.resources import StorageResource
from akeneo_pipeline.salesforce import SalesforceDeployResult
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.sync import sync_salesforce_picklists

NO_MAPPING = "no mapping file"


@dg.asset(
    key=SALESFORCE_PICKLISTS_ASSET,
    deps=[PICKLIST_CHANGES_ASSET],
    group_name=SALESFORCE_GROUP,
    kinds={"python", "salesforce"},
    description="Mapped Akeneo select attributes deployed as Salesforce picklists (whole value lists, removed "
    "options inactive) when they changed since their last deploy; a dry-run package without SALESFORCE_* settings.",
)
def salesforce_picklists(context: dg.AssetExecutionContext, storage: StorageResource) -> dg.MaterializeResult:
    settings = SalesforceSettings()
    if not settings.mapping_file.is_file():
        context.log.info("no Salesforce mapping file at SALESFORCE_MAPPING_FILE: nothing to deploy")
        return dg.MaterializeResult(metadata={"status": NO_MAPPING, "mapping_file": str(settings.mapping_file)})
    synced = sync_salesforce_picklists(storage.store(), settings)
    result = synced.deploy
    held = [asdict(h) | {"values": ", ".join(h.values[:5])} for h in result.held_back] if result else []
    metadata: dict[str, dg.RawMetadataValue] = {
        "status": _status(result),
        "last_change_id": synced.last_change_id,
        "attributes_deployed": len(result.deployed) if result else 0,
        "deployed": dg.MetadataValue.json(sorted(a.attribute_code for a in result.deployed) if result else []),
        **{f"values_{effect}": n for effect, n in synced.value_changes.items()},
        "held_back": len(held),
        "held_back_list": markdown_table(held, limit=50) if held else dg.MetadataValue.md("_none_"),
        "up_to_date": len(result.up_to_date) if result else 0,
        "waiting_for_akeneo": dg.MetadataValue.json(list(synced.waiting)),
        "deploy_ids": dg.MetadataValue.json(list(result.deploy_ids) if result else []),
    }
    if result is not None and result.package_path is not None:
        metadata["package"] = dg.MetadataValue.path(str(result.package_path))
    return dg.MaterializeResult(metadata=metadata)


def _status(result: SalesforceDeployResult | None) -> str:
    if result is None or not (result.deployed or result.held_back):
        return "up to date"
    if result.dry_run:
        return "dry run"
    return "deployed" if result.deployed else "held back"


salesforce_assets = [salesforce_picklists]
