"""The connection page says whether the org has the Task external-id field, and how to add it."""

import pytest

from integrations.emulator.connect import emulator_connect
from integrations.tests.test_connection_admin import PAGE

pytestmark = pytest.mark.django_db


def section(admin_client) -> str:
    response = admin_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.find('<div id="task-external-id">')
    return html[start : html.index("</div>", start)] if start >= 0 else ""


def test_an_org_with_the_field_is_said_to_have_it(admin_client, connection):
    shown = section(admin_client)

    assert "The org has <code>CRMBridge_Id__c</code> on Activity" in shown
    assert "How to add it" not in shown


def test_an_org_without_the_field_gets_a_hint_how_to_add_it(
    admin_client, emulator_without_task_external_id
):
    org = emulator_without_task_external_id
    emulator_connect(url=org.url, credentials=org.credentials)

    shown = section(admin_client)

    assert "The org has no <code>CRMBridge_Id__c</code> field on Activity</strong>" in shown
    assert "How to add it: Setup → Object Manager → Activity" in shown
    assert "Text, length 64" in shown
    assert "External ID and Unique" in shown


def test_describe_is_read_once_and_then_cached(admin_client, connection, emulator):
    section(admin_client)
    emulator.reset_stats()

    section(admin_client)

    assert emulator.api_calls_by_path("sobjects/Task/describe") == 0


def test_a_describe_that_fails_is_a_plain_message(admin_client, connection, emulator):
    emulator.faults.inject("missing", times=5, path_contains="sobjects/Task/describe")

    shown = section(admin_client)

    assert "Could not read the Task fields from Salesforce:" in shown
    assert "How to add it" not in shown


def test_nothing_is_said_before_an_org_is_connected(admin_client):
    assert section(admin_client) == ""
