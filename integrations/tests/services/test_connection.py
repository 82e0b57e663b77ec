"""The connection services the console's form and page call (see also
tests/salesforce/test_connect.py for connecting by each auth method)."""

import pytest

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.exceptions import AuthError
from integrations.models import SalesforceConnection
from integrations.services.connection import connection_log_in, connection_update

pytestmark = pytest.mark.django_db


def credentials(sandbox, **overrides) -> dict:
    values = {
        "login_url": sandbox.url,
        "auth_method": AuthMethod.PASSWORD,
        "client_id": sandbox.credentials.client_id,
        "client_secret": sandbox.credentials.client_secret,
        "username": sandbox.credentials.username,
        "password": sandbox.credentials.password,
        "security_token": sandbox.credentials.security_token,
    }
    values.update(overrides)
    return values


def test_log_in_returns_a_token_and_stores_nothing(sandbox):
    token = connection_log_in(**credentials(sandbox))

    assert token.access_token
    assert token.instance_url == sandbox.url
    assert not SalesforceConnection.objects.exists()


def test_log_in_with_a_wrong_password_raises_with_a_hint(sandbox):
    with pytest.raises(AuthError) as raised:
        connection_log_in(**credentials(sandbox, password="wrong"))
    assert raised.value.code == "invalid_grant"
    assert raised.value.hint


def test_log_in_refuses_the_oauth_method(sandbox):
    with pytest.raises(AuthError) as raised:
        connection_log_in(**credentials(sandbox, auth_method=AuthMethod.OAUTH))
    assert raised.value.code == "oauth_required"


def test_update_without_a_token_only_saves(sandbox):
    connection = SalesforceConnection.load()
    connection.auth_method = AuthMethod.OAUTH
    connection.api_cap_calls = 5000

    connection_update(connection=connection, login_url=sandbox.url)

    stored = SalesforceConnection.load()
    assert (stored.login_url, stored.api_cap_calls) == (sandbox.url, 5000)
    assert stored.status == ConnectionStatus.NOT_CONNECTED


def test_update_with_the_forms_token_connects(sandbox):
    values = credentials(sandbox)
    token = connection_log_in(**values)
    connection = SalesforceConnection.load()
    for name in ("auth_method", "client_id", "client_secret", "username", "password"):
        setattr(connection, name, values[name])

    connected = connection_update(connection=connection, login_url=sandbox.url, token=token)

    assert connected.status == ConnectionStatus.CONNECTED
    assert connected.org_id == sandbox.org_id
    assert SalesforceConnection.load().access_token == token.access_token
