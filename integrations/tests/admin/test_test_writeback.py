"""“Test write-back” on the sync settings page: create, the "View in CRM" links, clean up."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from integrations.models import WriteBackTest
from integrations.services.writeback_tests import writeback_test_create
from integrations.tests.test_settings_console import PAGE

pytestmark = pytest.mark.django_db

CREATE = reverse("admin:integrations_syncsettings_test_writeback")
CLEANUP = reverse("admin:integrations_syncsettings_test_writeback_cleanup")
SAM = "sam.seller@crmbridge-emulator.example"


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_creating_shows_a_view_in_crm_link_for_each_record(admin_client, connection, emulator):
    response = admin_client.post(CREATE, {"owner_email": SAM})

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#test-writeback"
    assert "5 test records are in Salesforce" in messages_of(response)
    test = WriteBackTest.objects.get()
    assert test.created_by.username == "admin"
    page = admin_client.get(PAGE).content.decode()
    for record in test.records():
        assert f'href="{record.url}"' in page
    assert page.count("View in CRM</a>") == 5
    assert f"Owned by the Salesforce user with the email {SAM}." in page
    assert LogEntry.objects.filter(change_message__startswith="Test write-back: created").exists()


def test_clean_up_deletes_them_and_the_links_go(admin_client, connection, emulator):
    admin_client.post(CREATE, {"owner_email": ""})

    response = admin_client.post(CLEANUP)

    assert "Clean-up: deleted 5 test records in Salesforce." in messages_of(response)
    assert emulator.store.count("Contact") == 0
    page = admin_client.get(PAGE).content.decode()
    assert 'id="test-writeback-records"' not in page
    assert "Cleaned up" in page
    assert 'form="test-writeback-cleanup"' not in page  # nothing left to clean up


def test_an_owner_email_that_is_no_email_is_an_error_not_a_write(admin_client, connection):
    response = admin_client.post(CREATE, {"owner_email": "sam at example"})

    assert "Test write-back: Enter a valid email address." in messages_of(response)
    assert not WriteBackTest.objects.exists()


def test_not_connected_says_why_and_what_to_do(admin_client):
    response = admin_client.post(CREATE, {"owner_email": ""})

    message = messages_of(response)
    assert "Test write-back failed: NOT_CONNECTED: No Salesforce org is connected." in message
    assert "Connect one on the connection page." in message


def test_a_failure_midway_shows_what_was_made_and_offers_the_clean_up(
    admin_client, connection, emulator
):
    emulator.faults.inject("disconnect_after_apply", path_contains="composite/sobjects")

    admin_client.post(CREATE, {"owner_email": ""})

    page = admin_client.get(PAGE).content.decode()
    assert "Salesforce said:" in page
    assert "the test Contact was lost" in page
    assert 'form="test-writeback-cleanup"' in page
    assert "1 test not cleaned up yet." in page
    admin_client.post(CLEANUP)
    assert emulator.store.count("Contact") == 0


@pytest.mark.parametrize("url", [CREATE, CLEANUP])
def test_only_posts_from_staff_with_change_permission(client, admin_client, django_user_model,
                                                      connection, url):  # fmt: skip
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)

    assert admin_client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    assert not WriteBackTest.objects.exists()


@pytest.mark.browser
def test_creating_in_the_browser_shows_the_links(browser_page, connection, emulator):
    page = browser_page
    page.goto(PAGE)
    section = page.locator("#test-writeback")
    section.get_by_label("Owner email").fill(SAM)
    section.get_by_role("button", name="Create test records").click()

    assert "5 test records are in Salesforce" in page.locator(".messagelist .success").inner_text()
    links = section.get_by_role("link", name="View in CRM")
    assert links.count() == 5
    assert links.first.get_attribute("href").startswith(f"{emulator.url}/003")
    assert emulator.store.count("Task") == 3


@pytest.mark.browser
def test_cleaning_up_in_the_browser(browser_page, connection, emulator):
    writeback_test_create()
    page = browser_page
    page.goto(PAGE)
    section = page.locator("#test-writeback")
    assert section.get_by_role("link", name="View in CRM").count() == 5

    section.get_by_role("button", name="Clean up").click()

    assert "deleted 5 test records" in page.locator(".messagelist .success").inner_text()
    assert section.get_by_role("link", name="View in CRM").count() == 0
    assert emulator.store.count("Task") == 0
