"""Connect the pipeline as an Akeneo App: authorize in the browser, exchange the code,
save the token for `AkeneoSettings`. Plain Python, no Dagster."""

from akeneo_pipeline.connect_app.authorize import authorize_url, code_challenge
from akeneo_pipeline.connect_app.credentials import AppCredentials
from akeneo_pipeline.connect_app.errors import ConnectAppError
from akeneo_pipeline.connect_app.exchange import AppToken, exchange_code
from akeneo_pipeline.connect_app.flow import DEFAULT_PORT, AppConnector, ConnectResult
from akeneo_pipeline.connect_app.token_file import save_app_token

__all__ = [
    "DEFAULT_PORT",
    "AppConnector",
    "AppCredentials",
    "AppToken",
    "ConnectAppError",
    "ConnectResult",
    "authorize_url",
    "code_challenge",
    "exchange_code",
    "save_app_token",
]
