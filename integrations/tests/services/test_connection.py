"""The connection services the console's form and page call (see also
tests/salesforce/test_connect.py for connecting by each auth method)."""

import pytest

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.exceptions import AuthError
from integrations.models import SalesforceConnection
from integrations.services.connection import connection_log_in, connection_update

pytestmark = pytest.mark.django_db


def credentials(emulator, **overrides) -> dict:
    values = {
        "login_url": emulator.url,
        "auth_method": AuthMethod.PASSWORD,
        "client_id": emulator.credentials.client_id,
        "client_secret": emulator.credentials.client_secret,
        "username": emulator.credentials.username,
        "password": emulator.credentials.password,
        "security_token": emulator.credentials.security_token,
    }
    values.update(overrides)
    return values


def test_log_in_returns_a_token_and_stores_nothing(emulator):
    token = connection_log_in(**credentials(emulator))

    assert token.access_token
    assert token.instance_url == emulator.url
    assert not SalesforceConnection.objects.exists()


def test_log_in_with_a_wrong_password_raises_with_a_hint(emulator):
    with pytest.raises(AuthError) as raised:
        connection_log_in(**credentials(emulator, password="wrong"))
    assert raised.value.code == "invalid_grant"
    assert raised.value.hint


def test_log_in_refuses_the_oauth_method(emulator):
    with pytest.raises(AuthError) as raised:
        connection_log_in(**credentials(emulator, auth_method=AuthMethod.OAUTH))
    assert raised.value.code == "oauth_required"


def test_update_without_a_token_only_saves(emulator):
    connection = SalesforceConnection.load()
    connection.auth_method = AuthMethod.OAUTH
    connection.api_cap_calls = 5000

    connection_update(connection=connection, login_url=emulator.url)

    stored = SalesforceConnection.load()
    assert (stored.login_url, stored.api_cap_calls) == (emulator.url, 5000)
    assert stored.status == ConnectionStatus.NOT_CONNECTED


def test_update_with_the_forms_token_connects(emulator):
    values = credentials(emulator)
    token = connection_log_in(**values)
    connection = SalesforceConnection.load()
    for name in ("auth_method", "client_id", "client_secret", "username", "password"):
        setattr(connection, name, values[name])

    connected = connection_update(connection=connection, login_url=emulator.url, token=token)

    assert connected.status == ConnectionStatus.CONNECTED
    assert connected.org_id == emulator.org_id
    assert SalesforceConnection.load().access_token == token.access_token
