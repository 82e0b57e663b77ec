"""The connection page: what a save changed, and whether the sync is on."""

import pytest
from django.contrib.messages import get_messages

from integrations.models import SyncSettings
from integrations.tests.test_connection_admin import PAGE, form_data

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_saving_names_the_changed_fields_with_old_and_new_values(
    admin_client, connection, emulator
):
    data = form_data(emulator, api_cap_calls="5000")
    message = messages_of(admin_client.post(PAGE, data))
    assert "API cap (calls per 24 hours): (empty) → 5000" in message
    assert "Connected to Salesforce as" in message


def test_saving_names_changed_secrets_without_their_values(admin_client, emulator):
    message = messages_of(admin_client.post(PAGE, form_data(emulator)))

    assert "Client secret (consumer secret): changed (not shown)" in message
    assert "Password: changed (not shown)" in message
    assert emulator.credentials.client_secret not in message
    assert emulator.credentials.password not in message


def test_kept_secrets_are_not_reported_as_changed(admin_client, connection, emulator):
    data = form_data(emulator, client_secret="", password="", security_token="")
    message = messages_of(admin_client.post(PAGE, data))
    assert "No changes" in message
    assert "secret" not in message.lower()


@pytest.mark.parametrize(("enabled", "text"), [(True, "Sync is on"), (False, "Sync is off")])
def test_connection_panel_and_dashboard_say_whether_sync_is_on(admin_client, enabled, text):
    settings = SyncSettings.load()
    settings.sync_enabled = enabled
    settings.save()
    panel = admin_client.get(PAGE).content.decode()
    dashboard = admin_client.get("/admin/").content.decode()
    assert text in panel
    assert text in dashboard
