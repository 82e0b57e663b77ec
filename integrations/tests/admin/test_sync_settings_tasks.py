"""The sync settings page's "Task sync" and "Activity data" sections: switches, the kinds
written back as checkboxes, and the activity field map entered per kind and attribute,
checked against the org's Task describe() when saved."""

import re

import pytest
from django.contrib.messages import get_messages

from integrations.emulator.connect import emulator_connect
from integrations.models import SyncSettings
from integrations.models.sync_settings import SECTIONS
from integrations.tests.test_settings_console import PAGE, errors_of, page_data

pytestmark = pytest.mark.django_db

TASK_SWITCHES = ("task_sync", "sync_visits", "sync_links", "sync_rooms",
                 "unmatched_create_leads", "unmatched_create_open_tasks", "write_back")  # fmt: skip


def saved_message(response) -> str:
    assert response.status_code == 302, "the page should have been saved"
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def field_map_input(kind: str, attribute: str) -> str:
    return f"activity_field_map_{kind}_{attribute}"


def test_task_sync_and_activity_data_sections_show_every_setting_with_help(admin_client):
    html = admin_client.get(PAGE).content.decode()
    sections = {section.title: section for section in SECTIONS}

    for title in ("Task sync", "Activity data"):
        assert sections[title].description in html
    for name in (*sections["Task sync"].fields, *sections["Activity data"].fields):
        row = re.search(rf'class="form-row[^"]*field-{name}\b(.*?)(class="form-row|</fieldset>)',
                        html, re.S)  # fmt: skip
        assert row, f"{name} is on the page"
        assert 'class="help"' in row.group(1), f"{name} has its help text"
    assert "create new leads for unmatched emails" in html.lower()
    assert "sync data back to your crm" in html.lower()


def test_kinds_written_back_are_checkboxes_and_the_field_map_is_inputs(admin_client):
    html = admin_client.get(PAGE).content.decode()

    checkboxes = re.findall(r'<input type="checkbox" name="write_back_items" value="(\w+)"', html)
    assert checkboxes == ["inmail", "message", "note", "call"]
    assert html.count('name="write_back_items"') == 4
    assert '<textarea name="activity_field_map"' not in html
    assert f'name="{field_map_input("visits", "percent_viewed")}"' in html
    assert f'name="{field_map_input("rooms", "internal_url")}"' in html
    for caption in ("Visits", "Document links", "Room links"):
        assert f"<caption>{caption}</caption>" in html
    assert "a number or text field" in html  # what percent_viewed fits


def test_task_switches_round_trip(admin_client):
    # given every switch flipped from its default
    data = page_data(admin_client)
    for name in TASK_SWITCHES:
        if data.get(name) == "on":
            del data[name]
        else:
            data[name] = "on"

    # when saved
    message = saved_message(admin_client.post(PAGE, data))

    # then stored, said, and shown again as saved
    settings = SyncSettings.load()
    assert [getattr(settings, name) for name in TASK_SWITCHES] == [
        True, False, False, False, True, True, True,
    ]  # fmt: skip
    assert "Task sync: off → on" in message
    assert "Sync visits: on → off" in message
    assert "Create new Leads for unmatched emails: off → on" in message
    assert "Sync data back to your CRM: off → on" in message
    again = page_data(admin_client)
    assert {name: again.get(name) for name in TASK_SWITCHES} == {
        name: data.get(name) for name in TASK_SWITCHES
    }
    assert "No changes" in saved_message(admin_client.post(PAGE, again))


def test_choosing_the_kinds_written_back(admin_client):
    data = page_data(admin_client)
    data["write_back_items"] = ["call", "inmail"]

    message = saved_message(admin_client.post(PAGE, data))

    assert SyncSettings.load().write_back_items == ["inmail", "call"]
    assert "Activities to write back: InMail, Message, Note, Call → InMail, Call" in message
    assert page_data(admin_client)["write_back_items"] == ["inmail", "call"]


def test_no_kind_written_back_is_saved_as_none(admin_client):
    data = page_data(admin_client)
    del data["write_back_items"]

    message = saved_message(admin_client.post(PAGE, data))

    assert SyncSettings.load().write_back_items == []
    assert "InMail, Message, Note, Call → none" in message


def test_an_unknown_kind_written_back_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data["write_back_items"] = ["inmail", "fax"]

    response = admin_client.post(PAGE, data)

    assert "Select a valid choice. fax is not one of the available choices." in errors_of(response)
    assert SyncSettings.load().write_back_items == ["inmail", "message", "note", "call"]


def test_a_field_map_that_fits_the_org_is_saved_nested(admin_client, connection):
    data = page_data(admin_client)
    data["activity_storage"] = "custom_fields"
    data[field_map_input("visits", "percent_viewed")] = "Percent_Viewed__c"
    data[field_map_input("visits", "duration_seconds")] = " Duration_Seconds__c "
    data[field_map_input("links", "visitors")] = "Visitors__c"

    message = saved_message(admin_client.post(PAGE, data))

    settings = SyncSettings.load()
    assert settings.activity_storage == "custom_fields"
    assert settings.activity_field_map == {
        "visits": {
            "duration_seconds": "Duration_Seconds__c",
            "percent_viewed": "Percent_Viewed__c",
        },
        "links": {"visitors": "Visitors__c"},
    }
    assert "Activity field map: (empty) → {" in message
    shown = page_data(admin_client)
    assert shown[field_map_input("visits", "percent_viewed")] == "Percent_Viewed__c"
    assert shown[field_map_input("rooms", "room_url")] == ""


def test_clearing_every_input_empties_the_map(admin_client, connection):
    settings = SyncSettings.load()
    settings.activity_field_map = {"visits": {"percent_viewed": "Percent_Viewed__c"}}
    settings.save()
    data = page_data(admin_client)
    data[field_map_input("visits", "percent_viewed")] = ""

    saved_message(admin_client.post(PAGE, data))

    assert SyncSettings.load().activity_field_map == {}


def test_fields_that_do_not_fit_are_form_errors_naming_kind_attribute_and_field(
    admin_client, connection
):
    data = page_data(admin_client)
    data["activity_storage"] = "custom_fields"
    data[field_map_input("visits", "percent_viewed")] = "Follow_Up_Date__c"
    data[field_map_input("visits", "document_name")] = "Engagement_Score__c"
    data[field_map_input("links", "document_url")] = "Website__c"
    data[field_map_input("rooms", "room_name")] = "Room_Name__c"

    response = admin_client.post(PAGE, data)
    errors = errors_of(response)

    assert (
        "visits.percent_viewed: Task.Follow_Up_Date__c is a date field; use a number or text "
        "field." in errors
    )
    marked = re.findall(r'<input type="text" name="activity_field_map_(\w+)"[^>]*aria-invalid',
                        response.content.decode())  # fmt: skip
    assert marked == ["visits_document_name", "visits_percent_viewed", "links_document_url"]
    assert "visits.document_name: Task.Engagement_Score__c is a formula field" in errors
    assert "links.document_url: Task has no field “Website__c”." in errors
    assert "rooms.room_name" not in errors
    assert SyncSettings.load().activity_field_map == {}


def test_the_same_field_twice_in_one_kind_is_a_form_error(admin_client):
    data = page_data(admin_client)
    data[field_map_input("links", "internal_url")] = "Internal_URL__c"
    data[field_map_input("links", "external_url")] = "Internal_URL__c"

    errors = errors_of(admin_client.post(PAGE, data))

    assert "links.internal_url and links.external_url both map to Internal_URL__c" in errors


def test_a_changed_field_map_needs_a_connection(admin_client):
    data = page_data(admin_client)
    data[field_map_input("visits", "percent_viewed")] = "Percent_Viewed__c"

    errors = errors_of(admin_client.post(PAGE, data))

    assert "Connect Salesforce first" in errors
    assert "checked against the org&#x27;s Task fields" in errors


def test_an_unchanged_field_map_needs_no_connection(admin_client):
    settings = SyncSettings.load()
    settings.activity_field_map = {"visits": {"percent_viewed": "Percent_Viewed__c"}}
    settings.save()
    data = page_data(admin_client)
    data["task_sync"] = "on"

    assert "Task sync: off → on" in saved_message(admin_client.post(PAGE, data))
    assert SyncSettings.load().activity_field_map == {
        "visits": {"percent_viewed": "Percent_Viewed__c"}
    }


def test_choosing_custom_fields_for_a_stored_map_checks_it(admin_client, connection):
    settings = SyncSettings.load()
    settings.activity_field_map = {"visits": {"percent_viewed": "Follow_Up_Date__c"}}
    settings.save()
    data = page_data(admin_client)
    data["activity_storage"] = "custom_fields"

    errors = errors_of(admin_client.post(PAGE, data))

    assert "visits.percent_viewed: Task.Follow_Up_Date__c is a date field" in errors


def test_going_back_to_the_description_needs_no_connection(admin_client):
    settings = SyncSettings.load()
    settings.activity_storage = "custom_fields"
    settings.activity_field_map = {"visits": {"percent_viewed": "Percent_Viewed__c"}}
    settings.save()
    data = page_data(admin_client)
    data["activity_storage"] = "description"

    message = saved_message(admin_client.post(PAGE, data))

    assert "Store activity data in: Mapped custom Task fields → Task Description" in message
    assert SyncSettings.load().activity_storage == "description"


def test_a_describe_failure_is_a_plain_form_error(admin_client, connection, emulator):
    emulator.faults.inject("missing", times=5, path_contains="sobjects/Task/describe")
    data = page_data(admin_client)
    data[field_map_input("visits", "percent_viewed")] = "Percent_Viewed__c"

    response = admin_client.post(PAGE, data)

    assert "Could not read the Task fields from Salesforce" in errors_of(response)


def test_an_org_without_the_tracking_fields_refuses_the_map(
    admin_client, emulator_without_task_external_id
):
    org = emulator_without_task_external_id
    emulator_connect(url=org.url, credentials=org.credentials)
    data = page_data(admin_client)
    data[field_map_input("visits", "percent_viewed")] = "Percent_Viewed__c"
    data[field_map_input("visits", "document_name")] = "CRMBridge_Id__c"

    errors = errors_of(admin_client.post(PAGE, data))

    assert "visits.document_name: Task has no field “CRMBridge_Id__c”" in errors
    assert "visits.percent_viewed" not in errors


@pytest.mark.browser
def test_filling_in_the_task_settings_in_the_browser(browser_page, emulator):
    page = browser_page
    emulator_connect(url=emulator.url, credentials=emulator.credentials)
    page.goto(PAGE)
    page.get_by_role("checkbox", name="Task sync").check()
    page.get_by_role("checkbox", name="Note").uncheck()
    page.get_by_label("Mapped custom Task fields").check()
    page.locator(f"input[name={field_map_input('visits', 'percent_viewed')}]").fill(
        "Follow_Up_Date__c"
    )
    page.locator("input[name=_continue]").click()

    error = page.locator(".field-activity_field_map .errorlist")
    assert "Task.Follow_Up_Date__c is a date field" in error.inner_text()
    page.locator(f"input[name={field_map_input('visits', 'percent_viewed')}]").fill(
        "Percent_Viewed__c"
    )
    page.locator("input[name=_continue]").click()

    assert "Sync settings saved" in page.locator(".messagelist .success").inner_text()
    settings = SyncSettings.load()
    assert settings.task_sync is True
    assert settings.write_back_items == ["inmail", "message", "call"]
    assert settings.activity_field_map == {"visits": {"percent_viewed": "Percent_Viewed__c"}}
    page.locator("#field-map-visits").scroll_into_view_if_needed()
