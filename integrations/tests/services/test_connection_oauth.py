"""The "Connect Salesforce" flow as services: state and PKCE kept in the session, used once."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.exceptions import AuthError, OAuthFlowError
from integrations.models import SalesforceConnection
from integrations.services.connection_oauth import (
    SESSION_KEY,
    connection_oauth_finish,
    connection_oauth_start,
)

pytestmark = pytest.mark.django_db

CALLBACK = "https://crm.example.com/admin/oauth/callback/"


@pytest.fixture
def oauth_app(emulator):
    """The connected app's id and secret saved with the OAuth method, not yet connected."""
    connection = SalesforceConnection.load()
    connection.login_url = emulator.url
    connection.auth_method = AuthMethod.OAUTH
    connection.client_id = emulator.credentials.client_id
    connection.client_secret = emulator.credentials.client_secret
    connection.save()
    return connection


def approve(url: str) -> dict[str, str]:
    """Salesforce's answer to the callback after the admin approved, as a dict."""
    approved = requests.get(url, allow_redirects=False, timeout=10)
    query = parse_qs(urlparse(approved.headers["Location"]).query)
    return {name: values[0] for name, values in query.items()}


def test_start_keeps_state_and_verifier_and_asks_for_s256(oauth_app):
    session = {}

    url = connection_oauth_start(request_session=session, redirect_uri=CALLBACK)

    query = parse_qs(urlparse(url).query)
    assert query["state"] == [session[SESSION_KEY]["state"]]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [CALLBACK]
    assert session[SESSION_KEY]["verifier"] not in url


def test_start_needs_the_connected_apps_id_and_secret(db):
    with pytest.raises(OAuthFlowError, match="client id and secret first"):
        connection_oauth_start(request_session={}, redirect_uri=CALLBACK)


def test_finish_connects_and_uses_the_state_once(oauth_app):
    # given
    session = {}
    answer = approve(connection_oauth_start(request_session=session, redirect_uri=CALLBACK))
    # when
    connection = connection_oauth_finish(
        request_session=session, state=answer["state"], code=answer["code"], redirect_uri=CALLBACK
    )
    # then
    assert connection.status == ConnectionStatus.CONNECTED
    assert SalesforceConnection.load().refresh_token
    assert SESSION_KEY not in session
    with pytest.raises(OAuthFlowError, match="not started here"):
        connection_oauth_finish(
            request_session=session, state=answer["state"], code="x", redirect_uri=CALLBACK
        )


def test_finish_refuses_a_forged_state_and_forgets_the_flow(oauth_app):
    session = {}
    connection_oauth_start(request_session=session, redirect_uri=CALLBACK)

    with pytest.raises(OAuthFlowError, match="not started here"):
        connection_oauth_finish(
            request_session=session, state="forged", code="abc", redirect_uri=CALLBACK
        )

    assert SESSION_KEY not in session
    assert SalesforceConnection.load().status == ConnectionStatus.NOT_CONNECTED


def test_finish_reports_a_refusal_in_salesforce(oauth_app):
    session = {}
    connection_oauth_start(request_session=session, redirect_uri=CALLBACK)
    state = session[SESSION_KEY]["state"]

    with pytest.raises(OAuthFlowError) as raised:
        connection_oauth_finish(
            request_session=session,
            state=state,
            code="",
            redirect_uri=CALLBACK,
            error="access_denied",
            error_description="end-user denied authorization",
        )

    assert str(raised.value) == "Salesforce did not connect: end-user denied authorization."


def test_finish_with_a_bad_code_marks_the_connection_failed(oauth_app):
    session = {}
    connection_oauth_start(request_session=session, redirect_uri=CALLBACK)
    state = session[SESSION_KEY]["state"]

    with pytest.raises(AuthError):
        connection_oauth_finish(
            request_session=session, state=state, code="not-a-code", redirect_uri=CALLBACK
        )

    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.ERROR
    assert stored.last_error
