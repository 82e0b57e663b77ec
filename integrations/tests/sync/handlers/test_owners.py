"""Pulled Leads, Contacts and Accounts keep their Salesforce owner (OwnerId) on the local
record, so the seat holder of that Salesforce user sees them on their pages."""

import pytest

from integrations.emulator.records.org import SALES_REP_IDS
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Company, Contact

pytestmark = pytest.mark.django_db

SAM, RITA = SALES_REP_IDS


@pytest.fixture
def importing(sync_settings):
    sync_settings.account_sync = True
    sync_settings.create_from_leads = True
    sync_settings.create_from_contacts = True
    sync_settings.save()
    return sync_settings


def test_pulled_people_and_accounts_keep_their_owner(importing, emulator):
    emulator.store.insert("Lead", {"LastName": "Lee", "Company": "Initech",
                                   "Email": "lee@initech.example", "OwnerId": SAM})  # fmt: skip
    emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": RITA}
    )
    emulator.store.insert("Account", {"Name": "Acme", "OwnerId": SAM})

    run_cycle()

    assert Contact.objects.get(email="lee@initech.example").salesforce_owner_id == SAM
    assert Contact.objects.get(email="cole@acme.example").salesforce_owner_id == RITA
    assert Company.objects.get(name="Acme").salesforce_owner_id == SAM


def test_a_new_owner_in_salesforce_moves_the_record_to_them(importing, emulator):
    # given: both records were read with Sam as their owner
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": SAM}
    )
    account_id = emulator.store.insert("Account", {"Name": "Acme", "OwnerId": SAM})
    run_cycle()

    # when: someone in Salesforce gives them to Rita (nothing else changes)
    emulator.store.update("Contact", contact_id, {"OwnerId": RITA}, user_id=SAM)
    emulator.store.update("Account", account_id, {"OwnerId": RITA}, user_id=SAM)
    run_cycle()

    # then
    assert Contact.objects.get(salesforce_id=contact_id).salesforce_owner_id == RITA
    assert Company.objects.get(salesforce_id=account_id).salesforce_owner_id == RITA


def test_a_local_contact_matched_by_email_takes_the_owner_of_its_salesforce_record(
    importing, emulator, make_contact
):
    contact = make_contact("cole@acme.example", last_name="Cole")
    emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": RITA}
    )

    run_cycle()

    contact.refresh_from_db()
    assert contact.salesforce_id
    assert contact.salesforce_owner_id == RITA
