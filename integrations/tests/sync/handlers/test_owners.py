"""Pulled Leads, Contacts and Accounts keep their Salesforce owner (OwnerId) on the local
record, so the seat holder of that Salesforce user sees them on their pages; a new owner
there becomes the contact's owner here (by seat, else email), and a contact created from
here is owned there by its owner's Salesforce user."""

import pytest

from integrations.emulator.records.org import SALES_REP_IDS
from integrations.tests.factories import SeatFactory, UserFactory
from integrations.tests.sync.helpers import events, run_cycle
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


# -- the local owner follows the Salesforce owner ------------------------------------------


def test_a_pulled_owner_becomes_the_local_owner_through_the_seat_with_that_user(
    importing, emulator
):
    # given: Sam's seat is linked to his Salesforce user; his local email differs from it
    seat = SeatFactory(user__email="sam@local.example", salesforce_user_id=SAM)
    emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": SAM}
    )

    run_cycle()

    assert Contact.objects.get(email="cole@acme.example").owner == seat.user


def test_a_pulled_owner_without_a_seat_is_the_local_user_with_that_users_email(importing, emulator):
    rita = UserFactory(email="Rita.Rep@crmbridge-emulator.example")  # any case
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": SAM}
    )
    run_cycle()

    emulator.store.update("Contact", contact_id, {"OwnerId": RITA}, user_id=SAM)
    run_cycle()

    contact = Contact.objects.get(salesforce_id=contact_id)
    assert contact.owner == rita
    (event,) = [e for e in events(contact) if any(c["field"] == "owner" for c in e.changes)]
    assert {"field": "owner", "salesforce_field": "OwnerId", "old": None,
            "new": rita.email} in event.changes  # fmt: skip


def test_an_owner_who_is_nobody_here_keeps_the_local_owner(importing, emulator, make_contact):
    # given: a linked contact owned here by Mia; Salesforce gives it to Rita, unknown here
    mia = UserFactory(email="mia@local.example")
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": SAM}
    )
    make_contact("cole@acme.example", last_name="Cole", owner=mia)
    run_cycle()
    emulator.store.update("Contact", contact_id, {"OwnerId": RITA}, user_id=SAM)

    run_cycle()

    contact = Contact.objects.get(salesforce_id=contact_id)
    assert (contact.owner, contact.salesforce_owner_id) == (mia, RITA)


def test_an_unchanged_salesforce_owner_leaves_a_local_owner_change_alone(importing, emulator):
    seat = SeatFactory(user__email="sam@local.example", salesforce_user_id=SAM)
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Cole", "Email": "cole@acme.example", "OwnerId": SAM}
    )
    run_cycle()
    mia = UserFactory(email="mia@local.example")
    Contact.objects.filter(salesforce_id=contact_id).update(owner=mia)

    # when: Salesforce changes something else, keeping Sam as owner
    emulator.store.update("Contact", contact_id, {"Title": "CTO"}, user_id=SAM)
    run_cycle()

    assert Contact.objects.get(salesforce_id=contact_id).owner == mia
    assert seat.user != mia


# -- a contact created from here is owned by its owner's Salesforce user --------------------


def test_a_created_contact_is_owned_by_its_owners_seat_user(sync_settings, emulator, make_contact):
    seat = SeatFactory(user__email="rita@local.example", salesforce_user_id=RITA)
    contact = make_contact("cole@acme.example", last_name="Cole", owner=seat.user)

    run_cycle()

    contact.refresh_from_db()
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == RITA
    assert contact.salesforce_owner_id == RITA


def test_a_created_contact_whose_owner_has_no_seat_is_owned_by_the_user_with_their_email(
    sync_settings, emulator, make_contact
):
    sam = UserFactory(email="sam.seller@crmbridge-emulator.example")
    contact = make_contact("cole@acme.example", last_name="Cole", owner=sam)

    run_cycle()

    contact.refresh_from_db()
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == SAM


def test_a_created_contact_without_an_owner_is_the_integration_users(
    sync_settings, emulator, make_contact
):
    contact = make_contact("cole@acme.example", last_name="Cole")

    run_cycle()
    run_cycle()  # the pull reads the integration user back: no owner change here

    contact.refresh_from_db()
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == emulator.integration_user_id
    assert contact.salesforce_owner_id == emulator.integration_user_id
    assert contact.owner is None
