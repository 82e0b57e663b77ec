"""Group deactivation in a browser: tick the purge, read the counts, confirm, watch the
purge's progress until it is done."""

import pytest

from integrations.choices import PurgeStatus
from integrations.models import CrmDataPurge
from integrations.tasks import crm_data_purge_task
from tracking.choices import Origin
from tracking.models import Contact
from tracking.tests.factories import CompanyFactory, ContactFactory

pytestmark = pytest.mark.browser


def test_deactivate_confirm_and_watch_the_purge(browser_page):
    # given: imported records and one created here
    page = browser_page
    for _ in range(3):
        ContactFactory(origin=Origin.SALESFORCE, salesforce_id="003000000000001AAA")
    CompanyFactory(origin=Origin.SALESFORCE)
    local = ContactFactory(origin=Origin.LOCAL, salesforce_id="00Q000000000001AAA")

    # when: deactivate with the purge ticked
    page.goto("/admin/integrations/salesforceconnection/")
    section = page.locator("#crm-sync-group")
    section.get_by_label("Yes, delete all previously imported CRM data").check()
    section.get_by_role("button", name="Deactivate CRM sync").click()

    # then: the confirmation page counts what goes and what stays; nothing happened yet
    def row(kind: str) -> list[str]:
        return page.locator("#purge-counts tr", has_text=kind).inner_text().split()

    assert row("Contacts") == ["Contacts", "3", "1"]
    assert row("Companies") == ["Companies", "1", "0"]
    assert not CrmDataPurge.objects.exists()

    # when: confirmed
    page.get_by_role("button", name="Yes, deactivate and delete 4 imported records").click()

    # then: the purge's page, pending until the task cluster runs it
    purge = CrmDataPurge.objects.get()
    page.wait_for_url(f"**/admin/integrations/crmdatapurge/{purge.pk}/change/")
    assert "deletes the imported records" in page.locator(".messagelist").inner_text()
    assert crm_data_purge_task(purge_id=purge.pk) == PurgeStatus.SUCCEEDED
    page.wait_for_selector("text=Succeeded")  # the page refreshes itself
    assert "contacts: deleted 3 of 3, kept 1 (unlinked 1)" in page.content()
    assert list(Contact.objects.values_list("pk", "salesforce_id")) == [(local.pk, "")]
