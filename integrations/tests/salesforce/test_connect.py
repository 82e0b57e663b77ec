"""Connecting by each auth method, and clear errors when it fails."""

import pytest
from django.core.management import CommandError, call_command

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.exceptions import AuthError
from integrations.models import SalesforceConnection
from integrations.services.connection import (
    connection_check,
    connection_connect,
    connection_disconnect,
)

pytestmark = pytest.mark.django_db


def connect_as_integration_user(emulator):
    """Connect with the client-credentials flow, as a script would."""
    return connection_connect(
        login_url=emulator.url,
        auth_method=AuthMethod.CLIENT_CREDENTIALS,
        client_id=emulator.credentials.cc_client_id,
        client_secret=emulator.credentials.cc_client_secret,
    )


def test_password_flow_connects_and_reads_identity_and_limits(connection, emulator):
    # then
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.org_id == emulator.org_id
    assert connection.user_id == emulator.integration_user_id
    assert connection.connected_username == emulator.credentials.username
    assert connection.instance_url == emulator.url
    assert connection.org_api_max > 0
    assert connection.api_version
    assert str(connection) == (
        f"Connected to Salesforce as {emulator.credentials.username} (org {emulator.org_id})"
    )


def test_client_credentials_flow_connects_as_the_integration_user(emulator):
    connection = connect_as_integration_user(emulator)
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.user_id == emulator.integration_user_id


def test_wrong_password_is_a_clear_error_with_a_hint(emulator):
    with pytest.raises(AuthError) as raised:
        connection_connect(
            login_url=emulator.url,
            auth_method=AuthMethod.PASSWORD,
            client_id=emulator.credentials.client_id,
            client_secret=emulator.credentials.client_secret,
            username=emulator.credentials.username,
            password="wrong",
        )
    assert raised.value.code == "invalid_grant"
    assert "security token" in raised.value.hint
    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.ERROR
    assert stored.last_error_code == "invalid_grant"
    assert not stored.access_token


def test_wrong_client_secret_is_reported_as_such(emulator):
    with pytest.raises(AuthError) as raised:
        connection_connect(
            login_url=emulator.url,
            auth_method=AuthMethod.CLIENT_CREDENTIALS,
            client_id=emulator.credentials.cc_client_id,
            client_secret="nope",
        )
    assert raised.value.code == "invalid_client"


def test_check_renews_an_expired_session(connection, emulator):
    # given
    old_token = connection.access_token
    emulator.expire_sessions()
    # when
    checked = connection_check()
    # then
    assert checked.status == ConnectionStatus.CONNECTED
    assert SalesforceConnection.load().access_token != old_token


def test_disconnect_revokes_the_token(connection, emulator):
    import requests

    token = connection.access_token
    connection_disconnect()
    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.NOT_CONNECTED
    assert not stored.access_token
    response = requests.get(
        f"{emulator.url}/services/data/v62.0/limits",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 401


def test_command_connects_with_password_and_prints_org_and_user(emulator, capsys):
    call_command(
        "salesforce_connect",
        "--login-url", emulator.url,
        "--username", emulator.credentials.username,
        "--password", emulator.credentials.password,
        "--security-token", emulator.credentials.security_token,
        "--client-id", emulator.credentials.client_id,
        "--client-secret", emulator.credentials.client_secret,
    )  # fmt: skip
    output = capsys.readouterr().out
    assert emulator.org_id in output
    assert emulator.credentials.username in output


def test_command_connects_with_client_credentials(emulator, capsys):
    call_command(
        "salesforce_connect",
        "--login-url", emulator.url,
        "--client-credentials",
        "--client-id", emulator.credentials.cc_client_id,
        "--client-secret", emulator.credentials.cc_client_secret,
    )  # fmt: skip
    assert emulator.org_id in capsys.readouterr().out


def test_command_fails_with_salesforce_error_and_hint(emulator):
    with pytest.raises(CommandError) as raised:
        call_command(
            "salesforce_connect",
            "--login-url", emulator.url,
            "--username", emulator.credentials.username,
            "--password", "wrong",
            "--client-id", emulator.credentials.client_id,
            "--client-secret", emulator.credentials.client_secret,
        )  # fmt: skip
    assert "authentication failure" in str(raised.value)
    assert "Hint:" in str(raised.value)


def test_command_reports_an_unreachable_login_url(db):
    with pytest.raises(CommandError) as raised:
        call_command(
            "salesforce_connect",
            "--login-url", "https://127.0.0.1:9",
            "--client-credentials",
            "--client-id", "x",
            "--client-secret", "y",
        )  # fmt: skip
    assert "Hint:" in str(raised.value)


def test_identity_falls_back_to_userinfo_when_the_identity_url_fails(emulator):
    # given: an endpoint whose identity URL does not answer
    emulator.faults.inject("503", times=1, path_contains="/id/")
    # when
    connection = connect_as_integration_user(emulator)
    # then
    assert connection.org_id == emulator.org_id
    assert connection.user_id == emulator.integration_user_id
    assert connection.connected_username


def test_an_endpoint_without_versions_list_and_limits_still_connects(emulator):
    # given: a Salesforce-compatible endpoint lacking both resources
    emulator.faults.inject("missing", path_contains="/limits")
    emulator.faults.inject("missing", times=1, path_contains="/services/data")
    # when
    connection = connect_as_integration_user(emulator)
    # then
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.api_version == "62.0"
    assert connection.org_api_max is None
