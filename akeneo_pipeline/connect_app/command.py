"""`akeneo-pipeline connect-app`: the terminal side of the App connection.

Prints what to do and what happened, never the token. Returns a process exit code.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from akeneo_pipeline.connect_app.credentials import AppCredentials
from akeneo_pipeline.connect_app.errors import ConnectAppError
from akeneo_pipeline.connect_app.flow import AppConnector


def _credentials(env_file: Path) -> AppCredentials:
    """From the environment, `.env` and the file the token goes to (later files win)."""
    files = tuple(dict.fromkeys([Path(".env"), env_file]))
    return AppCredentials(_env_file=files)


def _offer_browser(url: str, open_browser: bool | None) -> None:
    if open_browser is None:
        if not sys.stdin.isatty():
            return
        answer = input("Open it in your browser now? [Y/n] ").strip().lower()
        open_browser = answer in ("", "y", "yes")
    if open_browser:
        webbrowser.open(url)


def run_connect_app(env_file: Path, port: int, timeout: float, open_browser: bool | None,
                    echo: Callable[[str], None] = print) -> int:
    try:
        credentials = _credentials(env_file)
    except ValidationError as exc:
        reasons = "; ".join(error["msg"].removeprefix("Value error, ") for error in exc.errors())
        print(f"connect-app: {reasons}", file=sys.stderr)
        return 2
    try:
        with AppConnector(credentials, env_file, port=port) as connector:
            echo(f"Listening on 127.0.0.1:{connector.port} for Akeneo's answer.")
            echo(f"  The App's callback URL in Akeneo must be {connector.callback_url}")
            echo(f"  and its activate URL {connector.activate_url}")
            echo("Open this address, log in to Akeneo and approve the App "
                 "(or click Connect on the App in Akeneo's App Store):")
            echo(f"  {connector.authorize_url}")
            _offer_browser(connector.authorize_url, open_browser)
            echo(f"Waiting up to {timeout:.0f} s ...")
            result = connector.wait(timeout)
    except ConnectAppError as exc:
        print(f"connect-app failed: {exc}", file=sys.stderr)
        return 1
    echo(f"Connected. Saved AKENEO_ACCESS_TOKEN and AKENEO_APP_SCOPES to {result.token_file} "
         "(readable by you only).")
    echo(f"Granted scopes: {' '.join(result.scopes)}")
    if result.catalog is not None:
        echo(f"App catalog {result.catalog.name!r}: {result.catalog.id} ({result.catalog.state}); saved "
             f"AKENEO_CATALOG_ID to {result.token_file}.")
        echo("A PIM user configures its product selection and enables it here (Akeneo shows nothing to the App "
             "until then):")
        echo(f"  {result.catalog_url}")
    if "AKENEO_ACCESS_TOKEN" in os.environ:
        echo("Note: AKENEO_ACCESS_TOKEN is also set in your environment and overrides the file; unset it.")
    if result.token_file.name != ".env" or result.token_file.parent != Path.cwd().resolve():
        echo(f"The pipeline reads ./.env; load {result.token_file} into its environment to use this token.")
    return 0
