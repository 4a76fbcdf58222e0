"""Picklist diff: two 100,000-option snapshots with a night's worth of realistic changes.

Snapshot building (from Akeneo-shaped items) is timed apart from `diff()`, which is
what the target is about: the diff runs on every picklist refresh.
"""

from __future__ import annotations

import random
import time
from typing import Any

from akeneo_pipeline.picklists.diff import diff
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from bench.results import Row

TARGET_SECONDS = 1.0
LOCALES = ("en_US", "fr_FR", "de_DE")


def option_items(attributes: int, per_attribute: int, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {"code": f"option_{o}", "attribute": f"attribute_{a}", "sort_order": o,
         "labels": {locale: f"Option {o} of {a} ({locale}) {rng.random():.6f}" for locale in LOCALES}}
        for a in range(attributes) for o in range(per_attribute)
    ]


def night_of_changes(items: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """1% relabelled, 0.5% reordered, 0.5% removed, 0.5% added, as merchandisers do."""
    changed = []
    for item in items:
        roll = rng.random()
        if roll < 0.005:
            continue  # removed
        item = {**item, "labels": dict(item["labels"])}
        if roll < 0.015:
            item["labels"][rng.choice(LOCALES)] = f"Renamed {rng.random():.6f}"
        elif roll < 0.02:
            item["sort_order"] += 1000
        changed.append(item)
    for n in range(len(items) // 200):
        changed.append({"code": f"new_{n}", "attribute": f"attribute_{n % 200}", "sort_order": 9000 + n,
                        "labels": {"en_US": f"New {n}"}})
    return changed


def run(options: int = 100_000) -> list[Row]:
    rng = random.Random(8)
    attributes = 200
    attribute_items = [{"code": f"attribute_{a}", "type": "pim_catalog_simpleselect"} for a in range(attributes)]
    before_items = option_items(attributes, options // attributes, rng)
    after_items = night_of_changes(before_items, rng)
    started = time.perf_counter()
    before = OptionSnapshot.from_akeneo(attribute_items, before_items)
    after = OptionSnapshot.from_akeneo(attribute_items, after_items)
    build = (time.perf_counter() - started) / 2
    started = time.perf_counter()
    changes = diff(before, after)
    seconds = time.perf_counter() - started
    section = f"picklist diff ({before.option_count:,} options)"
    return [
        Row(section, "diff() of two snapshots", f"{seconds:.3f} s ({len(changes):,} changes)",
            f"< {TARGET_SECONDS:g} s", seconds < TARGET_SECONDS and len(changes) > 0),
        Row(section, "building one snapshot from items", f"{build:.3f} s"),
    ]
