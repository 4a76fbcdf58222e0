"""One run of the Salesforce target: a span's value lists in, a checked deploy (or a dry-run
package) out, positions recorded only after Salesforce said Succeeded.

    result = deploy_value_lists(span, load_mapping(path), settings=SalesforceSettings(),
                                positions=JsonFilePositions(path))

Steps: attributes the mapping does not name are listed as unmapped; attributes whose
recorded position already covers the span (under the same mapping) are up to date and not
sent again; the others are checked (checks.py) and a failing one is held back with its
reason. The rest go in one package, deployed all or nothing. When Salesforce refuses some
components, the attributes those components carry are held back with Salesforce's message
and the others are deployed again without them, so one value list Salesforce refuses does
not stop the rest.

Without an org (SalesforceSettings.dry_run) the package is written to SALESFORCE_PACKAGE_DIR
with a JSON report beside it, and nothing is recorded: deploy it with Salesforce's CLI,
`sf project deploy start --metadata-dir <zip> --single-package --target-org <org>`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from akeneo_pipeline.atomic_write import atomic_write
from akeneo_pipeline.salesforce.bookkeeping import DeployedPosition, DeployedPositions, PositionKey
from akeneo_pipeline.salesforce.checks import HeldBack, check_value_list
from akeneo_pipeline.salesforce.client import MetadataClient
from akeneo_pipeline.salesforce.errors import SalesforceDeployError
from akeneo_pipeline.salesforce.mapping import SalesforceMapping
from akeneo_pipeline.salesforce.package import DeployPackage, PackagedAttribute, build_package
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.salesforce.value_lists import ValueListSpan

log = logging.getLogger("akeneo_pipeline.salesforce")


@dataclass(frozen=True)
class SalesforceDeployResult:
    first_change_id: int
    last_change_id: int
    dry_run: bool
    deployed: tuple[PackagedAttribute, ...]
    """Attributes Salesforce confirmed (dry run: the attributes the written package holds)."""
    held_back: tuple[HeldBack, ...]
    up_to_date: tuple[str, ...]
    unmapped: tuple[str, ...]
    deploy_ids: tuple[str, ...]
    package_path: Path | None = None


def deploy_value_lists(span: ValueListSpan, mapping: SalesforceMapping, *, settings: SalesforceSettings,
                       positions: DeployedPositions, client: MetadataClient | None = None) -> SalesforceDeployResult:
    stored = positions.read()
    unmapped = tuple(sorted(v.attribute_code for v in span.value_lists if v.attribute_code not in mapping.attributes))
    up_to_date: list[str] = []
    held_back: list[HeldBack] = []
    ready: list[str] = []
    for value_list in sorted(span.value_lists, key=lambda v: v.attribute_code):
        code = value_list.attribute_code
        target = mapping.attributes.get(code)
        if target is None:
            continue
        position = stored.get((code, target.target_key))
        if position is not None and position.change_id >= span.last_change_id \
                and position.mapping_digest == mapping.digest(code):
            up_to_date.append(code)
            continue
        problems = check_value_list(value_list, target, mapping)
        if problems:
            held_back += problems
            for problem in problems:
                log.warning("held back: %s", problem.message)
            continue
        ready.append(code)

    if settings.dry_run:
        package = build_package(span, mapping, settings.api_version, ready) if ready else None
        path = _write_dry_run(package, settings.package_dir, held_back) if package is not None else None
        return SalesforceDeployResult(span.first_change_id, span.last_change_id, True,
                                      package.attributes if package is not None else (), tuple(held_back),
                                      tuple(up_to_date), unmapped, (), path)

    own_client = client is None
    client = client or MetadataClient(settings)
    deploy_ids: list[str] = []
    deployed: tuple[PackagedAttribute, ...] = ()
    try:
        while ready:
            package = build_package(span, mapping, settings.api_version, ready)
            deploy_id = client.deploy(package.zip_bytes)
            deploy_ids.append(deploy_id)
            try:
                client.wait(deploy_id)
            except SalesforceDeployError as exc:
                refused = _refused_attributes(package, exc)
                if not refused:
                    raise
                ready = [code for code in ready if code not in refused]
                held_back += refused.values()
                for problem in refused.values():
                    log.warning("held back: %s", problem.message)
                continue
            positions.record(_positions(package, mapping, deploy_id))
            deployed = package.attributes
            break
    finally:
        if own_client:
            client.close()
    log.info("Salesforce deploy of changes %d..%d: %d attributes deployed, %d held back, %d up to date",
             span.first_change_id, span.last_change_id, len(deployed), len(held_back), len(up_to_date))
    return SalesforceDeployResult(span.first_change_id, span.last_change_id, False, deployed, tuple(held_back),
                                  tuple(up_to_date), unmapped, tuple(deploy_ids))


def _positions(package: DeployPackage, mapping: SalesforceMapping,
               deploy_id: str) -> dict[PositionKey, DeployedPosition]:
    return {(a.attribute_code, a.target): DeployedPosition(package.last_change_id, mapping.digest(a.attribute_code),
                                                           deploy_id)
            for a in package.attributes}


def _refused_attributes(package: DeployPackage, error: SalesforceDeployError) -> dict[str, HeldBack]:
    """The attributes whose components Salesforce refused, each with Salesforce's messages."""
    problems: dict[str, list[str]] = {}
    for failure in error.failures:
        for code in package.attributes_of(failure.component_type, failure.full_name):
            problems.setdefault(code, []).append(str(failure))
    targets = {a.attribute_code: a.target for a in package.attributes}
    return {code: HeldBack(code, targets[code], "salesforce_refused",
                           f"attribute {code} -> {targets[code].split(':', 1)[1]}: Salesforce refused it in deploy "
                           f"{error.deploy_id}: " + "; ".join(messages))
            for code, messages in sorted(problems.items())}


def _write_dry_run(package: DeployPackage, directory: Path, held_back: list[HeldBack]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / package.file_name
    with atomic_write(target) as sink:
        sink.write(package.zip_bytes)
    report = {"first_change_id": package.first_change_id, "last_change_id": package.last_change_id,
              "api_version": package.api_version, "package": package.file_name, "sha256": package.digest,
              "attributes": [asdict(a) for a in package.attributes], "held_back": [asdict(h) for h in held_back],
              "deploy_with": f"sf project deploy start --metadata-dir {target} --single-package --target-org <org>"}
    with atomic_write(target.with_suffix(".json")) as sink:
        sink.write(json.dumps(report, indent=1, ensure_ascii=False).encode() + b"\n")
    log.info("dry run (no SALESFORCE_INSTANCE_URL): wrote %s", target)
    return target
