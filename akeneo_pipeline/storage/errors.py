"""Errors of the storage layer: each names what failed and what to fix, never a secret.

Warehouse errors carry the password-masked URL so a person knows which
warehouse was meant; the original driver error is kept as text with any
password scrubbed, not chained, because driver exceptions may hold the DSN.
"""

from __future__ import annotations

from pathlib import Path


class StorageError(Exception):
    """Base class: something about Parquet, the warehouse or cursors went wrong."""


class DataDirError(StorageError):
    """The data directory cannot be created or written; nothing was written."""

    def __init__(self, path: Path, cause: BaseException) -> None:
        self.path = path
        super().__init__(
            f"data directory {path} is not writable ({type(cause).__name__}: {cause}); "
            "set AKENEO_DATA_DIR to a writable directory"
        )


class InvalidItemError(StorageError, ValueError):
    """An Akeneo item does not have the shape its stream expects; nothing of its batch was stored."""

    def __init__(self, stream: str, key: object, column: str, detail: str) -> None:
        self.stream = stream
        self.key = key
        self.column = column
        super().__init__(f"{stream} item {key!r}: column {column!r}: {detail}")


class WarehouseError(StorageError):
    """A statement failed inside the warehouse; its transaction was rolled back."""

    def __init__(self, url_display: str, action: str, cause: str) -> None:
        self.url_display = url_display
        self.action = action
        super().__init__(f"warehouse {url_display}: {action} failed and was rolled back: {cause}")


class WarehouseUnavailableError(StorageError):
    """The warehouse cannot be reached (down, refused, bad credentials, locked file)."""

    def __init__(self, url_display: str, cause: str) -> None:
        self.url_display = url_display
        super().__init__(
            f"warehouse {url_display} is unavailable: {cause}; check WAREHOUSE_URL and that the server "
            "(or the DuckDB file) is reachable; no cursor was moved"
        )
