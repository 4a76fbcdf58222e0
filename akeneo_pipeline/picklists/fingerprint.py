"""A stable digest of an option snapshot, so a sensor can tell "something changed"
without storing the snapshot: options have no `updated` date to compare."""

from __future__ import annotations

import hashlib
import json

from akeneo_pipeline.picklists.snapshot import OptionSnapshot


def snapshot_fingerprint(snapshot: OptionSnapshot) -> str:
    """sha256 over select attributes, option codes, sort orders and labels, in a
    canonical order: equal snapshots give equal digests whatever the page order."""
    digest = hashlib.sha256()
    for attribute_code in sorted(snapshot.attributes):
        digest.update(json.dumps(["attribute", attribute_code, snapshot.attributes[attribute_code]]).encode())
        options = snapshot.options.get(attribute_code, {})
        for option_code in sorted(options):
            state = options[option_code]
            digest.update(
                json.dumps(["option", option_code, state.sort_order, sorted(state.labels.items())]).encode()
            )
    return digest.hexdigest()
