"""The fallback owner: contacts Salesforce refuses for their owner are written once more, in
one call for the batch, with the fallback owner (or the integration user), and their
history says so; a fallback owner refused as well fails them with a hint naming the setting.
"""

import pytest

from integrations.emulator.records.ids import make_id
from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID
from integrations.tests.factories import SeatFactory
from integrations.tests.sync.helpers import events, run_cycle
from tracking.models import Contact

pytestmark = pytest.mark.django_db

IAN, MIA = INACTIVE_USER_ID, MANAGER_USER_ID
MISSING_USER = make_id("005", 999_999)
COLLECTIONS = "composite/sobjects"


@pytest.fixture
def owned_by(make_contact):
    """Contacts owned here by the holder of a seat linked to `salesforce_user_id` (a seat
    matched before that user was deactivated, or removed from the org)."""

    def make(salesforce_user_id, *emails):
        seat = SeatFactory(user__email="owner@local.example", salesforce_user_id=salesforce_user_id)
        return [make_contact(email, owner=seat.user) for email in emails]

    return make


def _fallback(settings, user_id):
    settings.fallback_owner_id = user_id
    settings.save()


def test_inactive_owners_records_are_written_with_the_fallback_owner_in_one_more_call(
    sync_settings, emulator, owned_by, make_contact
):
    # given
    _fallback(sync_settings, MIA)
    refused = owned_by(IAN, "a@acme.example", "b@acme.example", "c@acme.example")
    unowned = make_contact("d@acme.example")
    emulator.reset_stats()

    # when
    run_cycle()

    # then
    assert emulator.api_calls_by_path(COLLECTIONS) == 2  # the batch, then the refused ones
    for contact in refused:
        contact.refresh_from_db()
        assert emulator.store.record(contact.salesforce_id)["OwnerId"] == MIA
        assert contact.salesforce_owner_id == MIA  # what the next pull reads is no change
        (event,) = events(contact)
        assert event.status == "ok"
        assert event.error_message == (
            f"Owner Ian Inactive ({IAN}) is inactive in Salesforce; written with the fallback "
            f"owner Mia Manager ({MIA})."
        )
    unowned.refresh_from_db()
    assert emulator.store.record(unowned.salesforce_id)["OwnerId"] == emulator.integration_user_id
    assert events(unowned)[0].error_message == ""


def test_an_owner_missing_in_salesforce_is_replaced_by_the_fallback_owner(
    sync_settings, emulator, owned_by
):
    _fallback(sync_settings, MIA)
    (contact,) = owned_by(MISSING_USER, "a@acme.example")

    run_cycle()

    contact.refresh_from_db()
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == MIA
    (event,) = events(contact)
    assert event.error_message == (
        f"Owner {MISSING_USER} is not a user in Salesforce; written with the fallback owner "
        f"Mia Manager ({MIA})."
    )


def test_without_a_fallback_owner_the_integration_user_owns_the_record(
    sync_settings, emulator, owned_by
):
    (contact,) = owned_by(IAN, "a@acme.example")

    run_cycle()

    contact.refresh_from_db()
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == emulator.integration_user_id
    (event,) = events(contact)
    assert event.error_message == (
        f"Owner Ian Inactive ({IAN}) is inactive in Salesforce; written with the integration "
        "user as owner, as no fallback owner is set."
    )


def test_a_refused_fallback_owner_fails_the_record_with_a_hint_naming_the_setting(
    sync_settings, emulator, owned_by
):
    # given: the fallback owner was deactivated in Salesforce after it was chosen
    _fallback(sync_settings, IAN)
    (contact,) = owned_by(MISSING_USER, "a@acme.example")
    emulator.reset_stats()

    run_cycle()

    contact.refresh_from_db()
    assert contact.salesforce_id == ""
    assert emulator.store.count("Contact") == 0
    assert emulator.api_calls_by_path(COLLECTIONS) == 2  # tried once more, not again
    (event,) = events(contact)
    assert (event.status, event.error_code) == ("error", "INACTIVE_OWNER_OR_USER")
    assert event.error_message.startswith(
        f"Owner {MISSING_USER} is not a user in Salesforce, and the fallback owner Ian Inactive "
        f"({IAN}) was refused too: "
    )
    assert "fallback_owner_id" in event.hint
    assert Contact.objects.get(pk=contact.pk).salesforce_synced_at is None
