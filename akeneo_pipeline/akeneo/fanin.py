"""Read several page sources on worker threads and yield their pages as they arrive.

The queue between workers and the consumer is bounded, so a slow consumer (writing
Parquet, say) pauses the workers instead of letting pages pile up in memory. The
first error in any worker stops the others and is raised to the consumer; closing
the generator early stops the workers too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

PageSource = Callable[[], Iterable[list[Any]]]

_DONE = object()
_POLL_SECONDS = 0.1


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def fan_in(sources: list[PageSource], *, workers: int, queue_pages: int) -> Iterator[list[Any]]:
    """Run `sources` on at most `workers` threads; yield every page exactly once."""
    if not sources:
        return
    if len(sources) == 1 or workers <= 1:
        for source in sources:
            yield from source()
        return
    pages: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_pages))
    stop = threading.Event()
    pending = iter(sources)
    pending_lock = threading.Lock()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                pages.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            while not stop.is_set():
                with pending_lock:
                    source = next(pending, None)
                if source is None:
                    break
                for page in source():
                    if not put(page):
                        return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put(_Failure(exc))
            return
        put(_DONE)

    threads = [
        threading.Thread(target=work, name=f"akeneo-reader-{i}", daemon=True)
        for i in range(min(workers, len(sources)))
    ]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            item = pages.get()
            if item is _DONE:
                running -= 1
            elif isinstance(item, _Failure):
                raise item.error
            else:
                yield item  # type: ignore[misc]
    finally:
        stop.set()
        if not running:
            for thread in threads:
                thread.join()
