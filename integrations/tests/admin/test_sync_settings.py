"""The sync settings page: what a save changed, said in its message."""

import pytest
from django.contrib.messages import get_messages

from integrations.models import FieldMapping
from integrations.tests.test_settings_console import PAGE, add_row, mapping_row, page_data

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
