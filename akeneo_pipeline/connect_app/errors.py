"""The one exception the App connection raises, carrying what a person needs to act."""

from __future__ import annotations

from akeneo_pipeline.akeneo.errors import AkeneoAuthError


class ConnectAppError(AkeneoAuthError):
    """`connect-app` could not obtain or save an App token.

    Built like every Akeneo client error (endpoint, status, Akeneo's own words), so it
    renders the same way; it never holds the code, the secret or the token.
    """
