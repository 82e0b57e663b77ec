"""Connecting to the local Salesforce sandbox, as `make demo` and `make bench` do."""

from __future__ import annotations

from integrations.choices import AuthMethod
from integrations.emulator import SandboxCredentials
from integrations.models import SalesforceConnection
from integrations.services.connection import connection_connect


def sandbox_connect(
    *, url: str, credentials: SandboxCredentials | None = None
) -> SalesforceConnection:
    """Connect the sandbox org at `url` with its integration user (password flow)."""
    credentials = credentials or SandboxCredentials()
    return connection_connect(
        login_url=url,
        auth_method=AuthMethod.PASSWORD,
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
        username=credentials.username,
        password=credentials.password,
        security_token=credentials.security_token,
    )
