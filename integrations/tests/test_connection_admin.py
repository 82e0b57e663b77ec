"""The connection page of the settings console."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from integrations.choices import AuthMethod, ConnectionStatus
from integrations.models import SalesforceConnection

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:integrations_salesforceconnection_change", args=[1])


@pytest.fixture
def staff(admin_client):
    return admin_client


def form_data(emulator, **overrides):
    data = {
        "environment": "custom",
        "custom_login_url": emulator.url,
        "auth_method": AuthMethod.PASSWORD,
        "client_id": emulator.credentials.client_id,
        "client_secret": emulator.credentials.client_secret,
        "username": emulator.credentials.username,
        "password": emulator.credentials.password,
        "security_token": emulator.credentials.security_token,
        "api_cap_percent": "",
        "api_cap_calls": "",
    }
    data.update(overrides)
    return data


def test_page_shows_connected_org_and_usage_bar(staff, connection, emulator):
    response = staff.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Connected to Salesforce as {emulator.credentials.username}" in html
    assert emulator.org_id in html
    assert 'role="progressbar"' in html
    assert "Connector version" in html
    assert "dedicated integration user" in html


def test_secrets_are_never_rendered_back(staff, connection, emulator):
    html = staff.get(PAGE).content.decode()
    assert emulator.credentials.client_secret not in html
    assert emulator.credentials.password not in html
    assert connection.access_token not in html


def test_saving_password_credentials_connects(staff, emulator):
    response = staff.post(PAGE, form_data(emulator), follow=True)
    assert response.status_code == 200
    assert SalesforceConnection.load().status == ConnectionStatus.CONNECTED
    assert "Connected to Salesforce as" in response.content.decode()


def test_wrong_password_is_a_form_error_and_nothing_is_stored(staff, emulator):
    response = staff.post(PAGE, form_data(emulator, password="wrong"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "authentication failure" in html
    assert "security token" in html
    assert SalesforceConnection.load().client_secret == ""


def test_empty_secret_fields_keep_the_stored_secrets(staff, connection, emulator):
    data = form_data(
        emulator, client_secret="", password="", security_token="", api_cap_calls="5000"
    )
    staff.post(PAGE, data)
    stored = SalesforceConnection.load()
    assert stored.api_cap_calls == 5000
    assert stored.password == emulator.credentials.password


def test_oauth_web_server_flow_with_pkce(staff, emulator):
    # given: the connected app is saved with the OAuth method
    data = form_data(emulator, auth_method=AuthMethod.OAUTH, username="", password="")
    staff.post(PAGE, data)
    # when: the button sends the admin to Salesforce, which approves and redirects back
    start = staff.post(reverse("admin:integrations_salesforceconnection_oauth_start"))
    authorize = urlparse(start["Location"])
    assert parse_qs(authorize.query)["code_challenge_method"] == ["S256"]
    approved = requests.get(start["Location"], allow_redirects=False, timeout=10)
    callback = urlparse(approved.headers["Location"])
    response = staff.get(f"{callback.path}?{callback.query}", follow=True)
    # then
    stored = SalesforceConnection.load()
    assert stored.status == ConnectionStatus.CONNECTED
    assert stored.refresh_token
    assert "Connected to Salesforce as" in response.content.decode()


def test_oauth_callback_with_a_forged_state_is_refused(staff, emulator):
    url = reverse("admin:integrations_salesforceconnection_oauth_callback")
    response = staff.get(f"{url}?code=abc&state=forged", follow=True)
    assert "was not started here" in response.content.decode()
    assert SalesforceConnection.load().status == ConnectionStatus.NOT_CONNECTED


def test_check_credentials_action_logs_and_reports(staff, connection):
    response = staff.post(reverse("admin:integrations_salesforceconnection_check"), follow=True)
    assert "Credentials are valid" in response.content.decode()
    assert LogEntry.objects.filter(change_message="Checked Salesforce credentials").exists()


def test_disconnect_action_revokes(staff, connection):
    staff.post(reverse("admin:integrations_salesforceconnection_disconnect"))
    assert SalesforceConnection.load().status == ConnectionStatus.NOT_CONNECTED


def test_actions_need_post(staff, connection):
    response = staff.get(reverse("admin:integrations_salesforceconnection_disconnect"))
    assert response.status_code == 405
    assert SalesforceConnection.load().status == ConnectionStatus.CONNECTED


def test_non_staff_cannot_open_the_console(client, django_user_model):
    user = django_user_model.objects.create_user("member", "member@example.com", "pw-12345678")
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert re.search(r"/admin/login/", response["Location"])
