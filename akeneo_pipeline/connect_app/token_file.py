"""Saving the App token where `AkeneoSettings` reads it: `.env`, or a file the user names.

Only the `AKENEO_ACCESS_TOKEN` and `AKENEO_APP_SCOPES` lines change; comments,
order and every other setting stay as they were. The new file is written beside the
old one with mode 0600 and renamed over it, so a crash leaves either the old file
or the new one, never half of each, and the token is never readable by others,
not even for a moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import SecretStr

from akeneo_pipeline.atomic_write import atomic_write
from akeneo_pipeline.connect_app.errors import ConnectAppError

TOKEN_KEY = "AKENEO_ACCESS_TOKEN"
SCOPES_KEY = "AKENEO_APP_SCOPES"
CATALOG_KEY = "AKENEO_CATALOG_ID"


def _quoted(value: str, what: str) -> str:
    """Single quotes: dotenv and POSIX shells both take the text between them literally."""
    if "'" in value or "\n" in value or "\r" in value:
        raise ConnectAppError(f"Akeneo sent {what} with a quote or line break, which cannot be written to a .env file")
    return f"'{value}'"


def _assignment_key(line: str) -> str | None:
    match = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", line)
    return match.group(1) if match else None


def updated_lines(lines: list[str], values: dict[str, str]) -> list[str]:
    """`lines` with each key of `values` set once: replaced where it was, appended otherwise."""
    out: list[str] = []
    written: set[str] = set()
    for line in lines:
        key = _assignment_key(line)
        if key in values:
            if key not in written:
                out.append(f"{key}={values[key]}\n")
                written.add(key)
            continue  # a duplicate assignment would shadow the new value
        out.append(line)
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    out.extend(f"{key}={value}\n" for key, value in values.items() if key not in written)
    return out


def save_app_token(path: Path, token: SecretStr, scopes: Iterable[str]) -> Path:
    """Write the token and its granted scopes into `path` (created if missing); returns the
    file actually written (a symlinked `.env` is followed, not replaced)."""
    return _save(path, {TOKEN_KEY: _quoted(token.get_secret_value(), "a token"),
                        SCOPES_KEY: _quoted(" ".join(scopes), "scopes")})


def save_catalog_id(path: Path, catalog_id: str) -> Path:
    """Write AKENEO_CATALOG_ID next to the token, the same way."""
    return _save(path, {CATALOG_KEY: _quoted(catalog_id, "a catalog id")},
                 f"the catalog {catalog_id} exists in Akeneo: set AKENEO_CATALOG_ID={catalog_id} by hand")


def _save(path: Path, values: dict[str, str],
          lost: str = "the token is lost: fix the file or name another one with --env-file, then run "
                      "`akeneo-pipeline connect-app` again") -> Path:
    target = path.expanduser().resolve()
    try:
        old = target.read_text(encoding="utf-8").splitlines(keepends=True) if target.exists() else []
        text = "".join(updated_lines(old, values))
        with atomic_write(target, mode=0o600) as sink:
            sink.write(text.encode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConnectAppError(
            f"could not save {', '.join(values)} to {target} ({reason}); {lost}"
        ) from None
    return target
