"""Keep Python's cyclic garbage collector out of bulk loads.

Parsed Akeneo items are millions of small dicts and lists. Each allocation burst
triggers collections that traverse every live container, and a batch in memory is
mostly live containers: measured on a 10,000-product batch, parsing took three
times longer and flattening half again as long with the collector on. The items
hold no reference cycles (plain JSON), so reference counting frees them anyway.

While paused, objects stay in the youngest generation; `collect_young()` after
each batch (once the batch is released) frees whatever cycles the batch's
libraries made, at the cost of traversing what survived, which is little.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable automatic cyclic collection for the block; restore it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect_young() -> None:
    """Collect the two young generations: cheap, because a released batch is not in them."""
    gc.collect(1)


def collect_all() -> None:
    """A full collection, once per committed batch: the pause is process-wide, so cycles made
    meanwhile by other threads (an HTTP reader's responses) that lived through two young
    collections reach the oldest generation, which nothing else collects while paused; freed
    only at the end of the load, they made peak memory grow with the catalog (bench/)."""
    gc.collect()
