"""The sync settings page's "Pipeline" section: the pipeline stage and the won value field as
selects of what the org offers, checked against it when saved, and a plain message when the
org cannot be read."""

import re

import pytest
from django.core.cache import cache

from integrations.emulator.records.objects import STAGES, WON_VALUE_FIELD
from integrations.models import SyncSettings
from integrations.tests.admin.test_sync_settings_tasks import saved_message
from integrations.tests.test_settings_console import PAGE, errors_of, page_data

pytestmark = pytest.mark.django_db

OPEN_STAGES = [name for name, _, closed, *_ in STAGES if not closed]


def options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"{name} is a select"
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    return [(value, text.replace("&amp;", "&").replace("&#x27;", "'")) for value, text in found]


def test_the_choices_are_read_from_the_org(admin_client, connection):
    html = admin_client.get(PAGE).content.decode()

    stages = options(html, "pipeline_stage")
    assert stages[0] == ("not_sure", "Not sure (every open opportunity)")
    assert [value for value, _ in stages[1:]] == OPEN_STAGES  # in the org's order, open only
    assert options(html, "won_value_field") == [
        ("not_sure", "Not sure (Amount)"),
        ("Amount", "Amount (Amount)"),
        (WON_VALUE_FIELD, f"Won Value ({WON_VALUE_FIELD})"),
    ]


def test_a_stage_and_a_custom_currency_field_are_saved(admin_client, connection):
    data = page_data(admin_client)
    data.update(pipeline_stage="Value Proposition", won_value_field=WON_VALUE_FIELD)

    message = saved_message(admin_client.post(PAGE, data))

    settings = SyncSettings.load()
    assert (settings.pipeline_stage, settings.won_value_field) == (
        "Value Proposition", WON_VALUE_FIELD,
    )  # fmt: skip
    assert "Pipeline stage: not_sure → Value Proposition" in message


@pytest.mark.parametrize(
    ("stage", "said"),
    [
        ("Qualified", "“Qualified” is not an active Opportunity stage of your org"),
        ("Closed Won", "“Closed Won” is a closed stage, and the pipeline holds open opportunities"),
    ],
)
def test_a_stage_the_org_does_not_offer_is_refused(admin_client, connection, stage, said):
    data = page_data(admin_client)
    data["pipeline_stage"] = stage

    errors = errors_of(admin_client.post(PAGE, data))

    assert said in errors
    assert "use not_sure or one of your org&#x27;s: Prospecting, Qualification," in errors
    assert SyncSettings.load().pipeline_stage == "not_sure"


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("NextStep", "Opportunity.NextStep is not a currency field (it is text)"),
        ("Booked__c", "Opportunity has no field “Booked__c”"),
    ],
)
def test_a_field_that_is_no_currency_field_is_refused(admin_client, connection, field, said):
    data = page_data(admin_client)
    data["won_value_field"] = field

    errors = errors_of(admin_client.post(PAGE, data))

    assert said in errors
    assert f"one of your org&#x27;s: Amount, {WON_VALUE_FIELD}" in errors
    assert SyncSettings.load().won_value_field == "not_sure"


def test_a_stored_stage_the_org_dropped_stays_visible_and_must_be_changed(admin_client, connection):
    settings = SyncSettings.load()
    settings.pipeline_stage = "Qualified"
    settings.save()

    html = admin_client.get(PAGE).content.decode()
    errors = errors_of(admin_client.post(PAGE, page_data(admin_client)))

    assert ("Qualified", "Qualified (not offered by your org)") in options(html, "pipeline_stage")
    assert "“Qualified” is not an active Opportunity stage of your org" in errors


def test_without_a_connection_the_page_says_why_and_not_sure_saves(admin_client):
    html = admin_client.get(PAGE).content.decode()
    data = page_data(admin_client)
    data.update(pipeline_stage="not_sure", won_value_field="not_sure", sync_interval_minutes=20)
    saved = admin_client.post(PAGE, data)
    data.update(pipeline_stage="Prospecting")
    refused = admin_client.post(PAGE, data)

    assert "Salesforce is not connected, so its Opportunity stages and fields are unavailable" in (
        html
    )
    assert '<input type="text" name="pipeline_stage"' in html
    assert saved.status_code == 302
    assert "Connect Salesforce first (Salesforce connection page): the pipeline settings" in (
        errors_of(refused)
    )


def test_an_org_that_cannot_be_read_is_a_plain_message(admin_client, connection, emulator):
    cache.clear()  # the describe() connecting read
    emulator.faults.inject("missing", times=10, path_contains="sobjects/Opportunity/describe")

    response = admin_client.get(PAGE)
    data = page_data(admin_client)
    data["won_value_field"] = WON_VALUE_FIELD
    errors = errors_of(admin_client.post(PAGE, data))

    assert response.status_code == 200
    assert "The org&#x27;s Opportunity stages and fields are unavailable" in (
        response.content.decode()
    )
    assert "Could not read the Opportunity fields from Salesforce" in errors


@pytest.mark.browser
def test_choosing_the_pipeline_settings_in_the_browser(browser_page, emulator):
    from integrations.emulator.connect import emulator_connect

    page = browser_page
    emulator_connect(url=emulator.url, credentials=emulator.credentials)
    page.goto(PAGE)
    page.get_by_label("Pipeline stage").select_option("Needs Analysis")
    page.get_by_label("Won value field").select_option(WON_VALUE_FIELD)
    page.locator("input[name=_continue]").click()

    assert "Sync settings saved" in page.locator(".messagelist .success").inner_text()
    settings = SyncSettings.load()
    assert (settings.pipeline_stage, settings.won_value_field) == (
        "Needs Analysis", WON_VALUE_FIELD,
    )  # fmt: skip
    page.locator(".field-pipeline_stage").scroll_into_view_if_needed()
