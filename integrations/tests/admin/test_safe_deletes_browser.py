"""Safe deletes in a browser: confirming a held mass deletion, restoring from quarantine."""

import pytest

from integrations.models import QuarantinedRecord
from integrations.tests.factories import (
    DeleteBrakeFactory,
    PendingDeletionFactory,
    QuarantinedRecordFactory,
)
from tracking.models import Contact

pytestmark = pytest.mark.browser


def test_a_held_mass_deletion_is_confirmed_from_the_dashboard(browser_page):
    brake = DeleteBrakeFactory()
    for _ in range(3):
        PendingDeletionFactory(brake=brake)

    browser_page.goto("/admin/")
    browser_page.click("#delete-brake-notice a")
    browser_page.wait_for_selector("#delete-brake")
    browser_page.click("#brake-confirm")

    message = browser_page.wait_for_selector(".messagelist .success")
    assert message.inner_text() == "3 contacts deleted into quarantine."
    assert QuarantinedRecord.objects.count() == 3


def test_a_quarantined_contact_is_restored_from_the_list(browser_page):
    entry = QuarantinedRecordFactory()

    browser_page.goto("/admin/integrations/quarantinedrecord/")
    browser_page.check(f"input[name=_selected_action][value='{entry.pk}']")
    browser_page.select_option("select[name=action]", "restore")
    browser_page.click("button[name=index]")

    message = browser_page.wait_for_selector(".messagelist .success")
    assert message.inner_text() == "1 record restored with their Salesforce link."
    assert Contact.objects.filter(pk=entry.object_id).exists()


def test_the_brakes_page_shows_what_it_holds(browser_page):
    brake = DeleteBrakeFactory()
    for _ in range(3):
        PendingDeletionFactory(brake=brake)

    browser_page.goto(f"/admin/integrations/deletebrake/{brake.pk}/change/")

    assert "3 contacts deleted in Salesforce are waiting" in browser_page.inner_text(
        "#delete-brake"
    )
    assert browser_page.locator("#delete-brake tbody tr").count() == 3


def test_the_quarantine_lists_days_left(browser_page):
    QuarantinedRecordFactory()
    QuarantinedRecordFactory()

    browser_page.goto("/admin/integrations/quarantinedrecord/")

    assert browser_page.locator("#result_list tbody tr").count() == 2
    assert "29 days" in browser_page.inner_text("#result_list")
