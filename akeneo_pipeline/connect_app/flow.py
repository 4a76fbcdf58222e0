"""One App connection from start to saved token: listen, send the user to Akeneo,
check what comes back, exchange the code at once, check the scopes, save.

The exchange runs inside the callback request, so it happens within the code's
30-second life and the browser page can say whether it worked. Every failure ends
the flow with one `ConnectAppError`; nothing is saved unless every check passed.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from akeneo_pipeline.akeneo.app_catalog import CATALOG_SCOPES, AppCatalogInfo, catalog_settings_url
from akeneo_pipeline.akeneo.scopes import REQUIRED_SCOPES, missing_scopes
from akeneo_pipeline.connect_app.authorize import authorize_url, new_state
from akeneo_pipeline.connect_app.catalog import ensure_catalog
from akeneo_pipeline.connect_app.credentials import AppCredentials
from akeneo_pipeline.connect_app.errors import ConnectAppError
from akeneo_pipeline.connect_app.exchange import exchange_code
from akeneo_pipeline.connect_app.listener import ACTIVATE_PATH, CALLBACK_PATH, CallbackListener, Reply
from akeneo_pipeline.connect_app.token_file import save_app_token, save_catalog_id
from akeneo_pipeline.settings import normalize_base_url

DEFAULT_PORT = 8421


@dataclass(frozen=True)
class ConnectResult:
    """What was saved, and where. Deliberately no token."""

    token_file: Path
    scopes: tuple[str, ...]
    catalog: AppCatalogInfo | None = None  # catalog mode: the catalog created or adopted
    catalog_url: str | None = None  # where a PIM user configures and enables it


class AppConnector:
    def __init__(self, credentials: AppCredentials, token_file: Path, *, port: int = DEFAULT_PORT,
                 scopes: Sequence[str] | None = None) -> None:
        self.credentials = credentials
        self.token_file = token_file
        # Catalog mode asks for the catalog scopes too (Akeneo's guide "Catalogs for Apps", step 1).
        if scopes is None:
            scopes = REQUIRED_SCOPES + (CATALOG_SCOPES if credentials.catalog_mode else ())
        self.scopes = tuple(scopes)
        self.state = new_state()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._result: ConnectResult | None = None
        self._error: ConnectAppError | None = None
        self._http = httpx.Client(timeout=httpx.Timeout(credentials.read_timeout, connect=credentials.connect_timeout),
                                  follow_redirects=False, headers={"User-Agent": "akeneo-pipeline connect-app"})
        try:
            self._listener = CallbackListener(self, port)
        except OSError as exc:
            self._http.close()
            raise ConnectAppError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): pass another --port and set the App's "
                "callback URL in Akeneo to match"
            ) from None

    def __enter__(self) -> AppConnector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._listener.close()
        self._http.close()

    @property
    def port(self) -> int:
        return self._listener.port

    @property
    def callback_url(self) -> str:
        return self._listener.base_url + CALLBACK_PATH

    @property
    def activate_url(self) -> str:
        return self._listener.base_url + ACTIVATE_PATH

    @property
    def authorize_url(self) -> str:
        c = self.credentials
        return authorize_url(c.base_url or "", c.client_id or "", self.state, self.scopes)

    def wait(self, timeout: float) -> ConnectResult:
        """Block until the flow ends; its result, or the `ConnectAppError` that ended it."""
        if not self._done.wait(timeout):
            raise ConnectAppError(
                f"Akeneo did not come back within {timeout:.0f} s: open the authorize URL, approve the App, "
                f"and check that the App's callback URL in Akeneo is {self.callback_url}"
            )
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    # -- what the listener routes to ------------------------------------------------

    def activate(self, query: dict[str, str]) -> Reply:
        """Akeneo's "Connect" button lands here; send the user on to the authorize step."""
        if self._done.is_set():
            return Reply(409, "This connection attempt is over; run `akeneo-pipeline connect-app` again.")
        raw = query.get("pim_url", "")
        try:
            pim = normalize_base_url(raw, self.credentials.allow_insecure_http) if raw else None
        except ValueError:
            pim = None
        if pim != self.credentials.base_url:
            return self._fail(ConnectAppError(
                f"the App was activated from {raw or 'an unknown PIM'!r}, but AKENEO_BASE_URL is "
                f"{self.credentials.base_url}: set AKENEO_BASE_URL to the PIM you connect from"))
        return Reply(302, "Continue in Akeneo", location=self.authorize_url)

    def callback(self, query: dict[str, str]) -> Reply:
        with self._lock:
            if self._done.is_set():
                return Reply(409, "This connection attempt is over; run `akeneo-pipeline connect-app` again.")
            if not secrets.compare_digest(query.get("state", ""), self.state):
                return self._fail(ConnectAppError(
                    "the callback's state does not match the one this run sent (a stale or forged request); "
                    "nothing was saved: run `akeneo-pipeline connect-app` again and use the URL it prints"))
            if "error" in query:
                said = ": ".join(filter(None, (query["error"], query.get("error_description"))))
                verb = "denied" if query["error"] == "access_denied" else "did not grant"
                return self._fail(ConnectAppError(f"the Akeneo user {verb} the App's authorization request",
                                                  akeneo_message=said))
            if not query.get("code"):
                return self._fail(ConnectAppError("the callback carries neither a code nor an error"))
            try:
                token = exchange_code(self._http, self.credentials, query["code"])
                missing = missing_scopes(token.scope, self.scopes)
                if missing:
                    raise ConnectAppError(
                        "the App was not granted these scopes the pipeline needs: " + ", ".join(missing)
                        + "; nothing was saved: run `akeneo-pipeline connect-app` again and approve them "
                        "(a PIM user allowed to manage Apps must do it)")
                written = save_app_token(self.token_file, token.access_token, token.scopes)
                catalog, url = None, None
                if self.credentials.catalog_mode:
                    catalog = ensure_catalog(self._http, self.credentials, token.access_token.get_secret_value())
                    save_catalog_id(self.token_file, catalog.id)
                    url = catalog_settings_url(self.credentials.base_url or "", catalog.id)
            except ConnectAppError as exc:
                return self._fail(exc)
            self._result = ConnectResult(written, tuple(token.scopes), catalog, url)
            self._done.set()
            more = (f" Now configure the product selection of the catalog {catalog.name!r} and enable it at {url}."
                    if catalog is not None and not catalog.enabled else "")
            return Reply(200, f"The App is connected; the token is saved in {written}.{more} You can close this tab.")

    def _fail(self, error: ConnectAppError) -> Reply:
        self._error = error
        self._done.set()
        return Reply(400, str(error))
