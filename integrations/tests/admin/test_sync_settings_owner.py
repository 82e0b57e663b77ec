"""The sync settings page's "Record owners" section: the fallback owner as a select of the
org's active users, checked to be one when saved (the console and `crm_settings import`)."""

import pytest
from django.core.exceptions import ValidationError

from integrations.emulator.records.ids import make_id
from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID
from integrations.models import SyncSettings
from integrations.services.connection import salesforce_client
from integrations.services.settings import settings_import
from integrations.tests.admin.test_sync_settings_pipeline import options
from integrations.tests.test_settings_console import PAGE, errors_of, page_data

pytestmark = pytest.mark.django_db


def test_the_fallback_owner_is_chosen_from_the_orgs_active_users(admin_client, connection):
    html = admin_client.get(PAGE).content.decode()

    users = options(html, "fallback_owner_id")
    assert users[0] == ("", "None: the integration user owns the record")
    assert (MANAGER_USER_ID, "Mia Manager (mia.manager@crmbridge-emulator.example)") in users
    assert INACTIVE_USER_ID not in [value for value, _ in users]


def test_an_active_user_is_saved_as_the_fallback_owner(admin_client, connection):
    data = page_data(admin_client)
    data["fallback_owner_id"] = MANAGER_USER_ID

    response = admin_client.post(PAGE, data)

    assert response.status_code == 302
    assert SyncSettings.load().fallback_owner_id == MANAGER_USER_ID


@pytest.mark.parametrize(
    ("user_id", "said"),
    [
        (INACTIVE_USER_ID, f"Ian Inactive ({INACTIVE_USER_ID}) is inactive in Salesforce"),
        (make_id("005", 999_999), "The org has no user"),
        ("Mia", "Use the id of an active Salesforce user"),
    ],
)
def test_a_fallback_owner_who_is_no_active_user_is_refused(admin_client, connection, user_id, said):
    data = page_data(admin_client)
    data["fallback_owner_id"] = user_id

    assert said in errors_of(admin_client.post(PAGE, data))
    assert SyncSettings.load().fallback_owner_id == ""


def test_choosing_a_fallback_owner_needs_a_connection(admin_client):
    data = page_data(admin_client)
    data["fallback_owner_id"] = MANAGER_USER_ID

    assert "Connect Salesforce first" in errors_of(admin_client.post(PAGE, data))


def test_an_import_checks_the_fallback_owner_against_the_org(connection):
    with pytest.raises(ValidationError, match="inactive in Salesforce") as refused:
        settings_import(
            document={"fallback_owner_id": INACTIVE_USER_ID}, client=salesforce_client()
        )
    assert "fallback_owner_id" in refused.value.message_dict

    settings_import(document={"fallback_owner_id": MANAGER_USER_ID}, client=salesforce_client())
    assert SyncSettings.load().fallback_owner_id == MANAGER_USER_ID


@pytest.mark.browser
def test_choosing_the_fallback_owner_in_the_browser(browser_page, emulator):
    from integrations.emulator.connect import emulator_connect

    page = browser_page
    emulator_connect(url=emulator.url, credentials=emulator.credentials)
    page.goto(PAGE)
    page.get_by_label("Fallback owner").select_option(MANAGER_USER_ID)
    page.locator("input[name=_continue]").click()

    assert "Sync settings saved" in page.locator(".messagelist .success").inner_text()
    assert SyncSettings.load().fallback_owner_id == MANAGER_USER_ID
    page.locator(".field-fallback_owner_id").scroll_into_view_if_needed()


def test_a_15_character_id_is_saved_as_the_18_character_id_of_the_org(admin_client, connection):
    data = page_data(admin_client)
    data["fallback_owner_id"] = MANAGER_USER_ID[:15]

    assert admin_client.post(PAGE, data).status_code == 302
    assert SyncSettings.load().fallback_owner_id == MANAGER_USER_ID


def test_an_import_saves_a_15_character_id_as_the_18_character_id_of_the_org(connection):
    document = {"fallback_owner_id": MANAGER_USER_ID[:15]}

    settings_import(document=document, client=salesforce_client())

    assert SyncSettings.load().fallback_owner_id == MANAGER_USER_ID
    assert document == {"fallback_owner_id": MANAGER_USER_ID[:15]}  # the caller's, untouched
