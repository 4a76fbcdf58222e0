"""Pages of products or product models -> batches of Arrow rows, flattened a few pages at a time.

Parsed items are the largest thing a load holds (~20 KiB of Python objects per product,
against ~3 KiB once in Arrow), so items are flattened in chunks of CHUNK_ROWS as they
arrive and freed; only Arrow tables accumulate up to a batch. Batches can then be large
(fewer Parquet parts and warehouse commits) while the load's memory stays bounded by one
chunk of items plus one batch of Arrow rows.

One copy per key reaches a batch: within a chunk `newest_per_key` keeps the newest, and a
key repeated across chunks of one batch (an item edited while the read ran is listed
again) keeps the copy with the newest `updated` (the last on ties), with its value rows,
exactly as `newest_per_key` would over the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from akeneo_pipeline.storage.catalog_load import in_batches
from akeneo_pipeline.storage.flatten import flatten_entities, newest_per_key
from akeneo_pipeline.storage.gc_pause import collect_young
from akeneo_pipeline.storage.schemas import EntityTables

CHUNK_ROWS = 1_000
_OLDEST = datetime.min.replace(tzinfo=UTC)


Batch = tuple[pa.Table, pa.Table]  # (entity rows, value rows)


def flattened_batches(es: EntityTables, pages: Iterable[list[dict]], batch_rows: int, run_id: str,
                      identifier_attribute: str | None, mode: str, item_key: str) -> Iterator[Batch]:
    """(entity rows, value rows) per batch of at least `batch_rows` items (the last may hold fewer)."""
    held: list[tuple[pa.Table, pa.Table]] = []
    rows = 0
    for chunk in in_batches(es.entity.name, pages, min(CHUNK_ROWS, batch_rows)):
        items = newest_per_key(chunk, item_key)
        flat = flatten_entities(es, items, datetime.now(UTC), run_id, identifier_attribute, mode)
        del chunk, items  # the parsed items: freed before the next chunk is read
        collect_young()
        held.append(flat)
        rows += flat[0].num_rows
        if rows >= batch_rows:
            batch, held, rows = held, [], 0
            yield combine(es, batch)
    if held:
        yield combine(es, held)


def combine(es: EntityTables, parts: list[tuple[pa.Table, pa.Table]]) -> tuple[pa.Table, pa.Table]:
    """The chunks' rows as one batch, one copy per key."""
    key = es.entity.key[0]
    entities = pa.concat_tables([e for e, _ in parts])
    if pc.count_distinct(entities.column(key)).as_py() != entities.num_rows:
        parts = _newest_copies(es, parts)
        entities = pa.concat_tables([e for e, _ in parts])
    values = pa.concat_tables([v for _, v in parts])
    parts.clear()
    return entities, values


def _newest_copies(es: EntityTables, parts: list[tuple[pa.Table, pa.Table]]) -> list[tuple[pa.Table, pa.Table]]:
    """Each chunk without the rows (and value rows) of the copies that lose to a newer one elsewhere."""
    key = es.entity.key[0]
    where: dict[Any, tuple[datetime, int]] = {}  # key -> (updated, chunk) of the copy kept so far
    for n, (entities, _) in enumerate(parts):
        for k, stamp in zip(entities.column(key).to_pylist(), entities.column("updated").to_pylist(), strict=True):
            stamp = stamp or _OLDEST
            kept = where.get(k)
            if kept is None or stamp >= kept[0]:
                where[k] = (stamp, n)
    out = []
    for n, (entities, values) in enumerate(parts):
        keys = entities.column(key).to_pylist()
        losers = [k for k in keys if where[k][1] != n]
        if losers:
            lost = pa.array(losers, pa.string())
            entities = entities.filter(pc.invert(pc.is_in(entities.column(key), lost)))
            values = values.filter(pc.invert(pc.is_in(values.column(es.owner_column), lost)))
        out.append((entities, values))
    return out
