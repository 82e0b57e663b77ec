"""The sync settings page: what a save changed, said in its message."""

import pytest
from django.contrib.messages import get_messages

from integrations.models import FieldMapping, SyncSettings
from integrations.tests.test_settings_console import (
    PAGE,
    add_row,
    errors_of,
    mapping_row,
    page_data,
)

pytestmark = pytest.mark.django_db


def saved_message(response) -> str:
    assert response.status_code == 302, "the page should have been saved"
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_saving_says_which_settings_changed_from_what_to_what(admin_client):
    data = page_data(admin_client)
    data.update(sync_enabled="on", sync_interval_minutes="20", new_record_type="Contact")

    message = saved_message(admin_client.post(PAGE, data))

    assert "Sync with Salesforce: off → on" in message
    assert "Sync interval (minutes): 15 → 20" in message
    assert "New record type: Lead → Contact" in message
    assert "Account sync" not in message  # unchanged settings are not listed


def test_saving_says_which_rules_and_mappings_were_added_changed_or_removed(
    admin_client, connection
):
    data = page_data(admin_client)
    data["inclusion_mode"] = "all"
    add_row(data, "rules", field="country", operator="equals", value="Germany")
    data[f"mappings-{mapping_row('Lead', 'phone')}-DELETE"] = "on"
    data[f"mappings-{mapping_row('Lead', 'title')}-rule"] = "off"

    message = saved_message(admin_client.post(PAGE, data))

    assert "Inclusion rules: added “country is Germany”" in message
    assert "Field mappings: removed “phone ↔ Lead.Phone”" in message
    assert "“title ↔ Lead.Title”: Rule: Two-way: the most recent change wins → Off" in message
    assert FieldMapping.objects.get(salesforce_object="Lead", local_field="title").rule == "off"


def test_saving_nothing_says_nothing_changed(admin_client):
    message = saved_message(admin_client.post(PAGE, page_data(admin_client)))

    assert "No changes" in message


@pytest.mark.browser
def test_switching_sync_on_in_the_browser_says_so_here_and_on_the_dashboard(browser_page):
    page = browser_page
    page.goto(PAGE)
    page.get_by_role("checkbox", name="Sync with Salesforce").check()
    page.locator("input[name=_save]").click()

    message = page.locator(".messagelist .success")
    assert "Sync with Salesforce: off → on" in message.inner_text()
    page.goto("/admin/")
    assert "Sync is on" in page.locator("#sync-switch").inner_text()


def test_alert_thresholds_have_their_section_with_help_and_bounds(admin_client):
    html = admin_client.get(PAGE).content.decode()
    assert 'class="fieldset-heading">Alerts</h2>' in html
    assert "Alert when this many sync runs in a row failed." in html

    data = page_data(admin_client)
    data.update(alert_api_org_percent="101", alert_failed_cycles="0")
    response = admin_client.post(PAGE, data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in errors_of(response)
    assert "Ensure this value is greater than or equal to 1." in errors_of(response)

    data.update(alert_api_org_percent="70", alert_failed_cycles="5")
    message = saved_message(admin_client.post(PAGE, data))
    assert "Alert at org API usage (%): 80 → 70" in message
    assert SyncSettings.load().alert_failed_cycles == 5
