"""The "Connect Salesforce" button: OAuth 2.0 web-server flow with PKCE and a state.

`connection_oauth_start` keeps the state and the PKCE verifier in the admin's session and
returns Salesforce's authorization URL; `connection_oauth_finish` takes them back (once) when
Salesforce redirects to the callback, checks the state and exchanges the code.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping

from integrations.exceptions import OAuthFlowError, SalesforceError
from integrations.models import SalesforceConnection
from integrations.salesforce import oauth
from integrations.services.connection import connection_mark_failed, connection_verify

SESSION_KEY = "salesforce_oauth"
NOT_SET_UP = "Enter and save the connected app's client id and secret first."
NOT_STARTED_HERE = "The Salesforce login expired or was not started here. Try again."


def connection_oauth_start(*, request_session: MutableMapping, redirect_uri: str) -> str:
    """Remember a new state and PKCE verifier; the URL to send the admin to."""
    connection = SalesforceConnection.load()
    if not (connection.client_id and connection.client_secret):
        raise OAuthFlowError(NOT_SET_UP)
    verifier, challenge = oauth.pkce_pair()
    state = secrets.token_urlsafe(24)
    request_session[SESSION_KEY] = {"state": state, "verifier": verifier}
    return oauth.authorize_url(
        login_url=connection.login_url,
        client_id=connection.client_id,
        redirect_uri=redirect_uri,
        state=state,
        code_challenge=challenge,
    )


def connection_oauth_finish(
    *,
    request_session: MutableMapping,
    state: str,
    code: str,
    redirect_uri: str,
    error: str | None = None,
    error_description: str | None = None,
) -> SalesforceConnection:
    """Complete the flow with what Salesforce sent to the callback.

    OAuthFlowError when the state does not match a flow started in this session or Salesforce
    refused (`error`); SalesforceError when the code exchange or the verification fails.
    """
    pending = request_session.pop(SESSION_KEY, None)
    if not pending or not secrets.compare_digest(pending["state"], state):
        raise OAuthFlowError(NOT_STARTED_HERE)
    if error is not None:
        raise OAuthFlowError(f"Salesforce did not connect: {error_description or error}.")
    return connection_complete_oauth(
        code=code, code_verifier=pending["verifier"], redirect_uri=redirect_uri
    )


def connection_complete_oauth(
    *, code: str, code_verifier: str, redirect_uri: str
) -> SalesforceConnection:
    """Exchange the code Salesforce sent back for tokens and verify them."""
    connection = SalesforceConnection.load()
    try:
        token = oauth.token_by_authorization_code(
            login_url=connection.login_url,
            client_id=connection.client_id,
            client_secret=connection.client_secret,
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=code_verifier,
        )
        connection_verify(connection=connection, token=token)
    except SalesforceError as failure:
        connection_mark_failed(connection=connection, error=failure)
        raise
    return connection
