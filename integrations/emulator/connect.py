"""Connecting the product to an emulator, as `make demo`, `make bench` and the tests do.

The one emulator module that imports the product (its connection service); the rest of the
package stays free of Django, so the emulator can run in a thread or its own process.
"""

from __future__ import annotations

from integrations.choices import AuthMethod
from integrations.models import SalesforceConnection
from integrations.services.connection import connection_connect

from .oauth.service import EmulatorCredentials


def emulator_connect(
    *, url: str, credentials: EmulatorCredentials | None = None
) -> SalesforceConnection:
    """Connect the emulated org at `url` with its integration user (password flow)."""
    credentials = credentials or EmulatorCredentials()
    return connection_connect(
        login_url=url,
        auth_method=AuthMethod.PASSWORD,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        username=credentials.username,
        password=credentials.password,
        security_token=credentials.security_token,
    )
