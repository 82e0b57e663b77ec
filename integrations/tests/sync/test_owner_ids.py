"""Owner ids in either form: a fallback owner saved as its 15-character id (typed before it
was checked) is the same User as the 18-character OwnerId a pull reads, so it moves no local
owner and the history names it; the fallback owner of an update is recorded as sent."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from integrations.emulator.records.org import INACTIVE_USER_ID, MANAGER_USER_ID
from integrations.services.connection import salesforce_client
from integrations.sync import push
from integrations.sync.cycle import Cycle
from integrations.sync.owner_users import local_owners
from integrations.sync.owners import same_user
from integrations.sync.recorder import Recorder
from integrations.tests.factories import SeatFactory
from integrations.tests.sync.helpers import events, run_cycle
from tracking.models import Contact

pytestmark = pytest.mark.django_db

IAN, MIA = INACTIVE_USER_ID, MANAGER_USER_ID
MIA_EMAIL = "mia.manager@crmbridge-emulator.example"


def test_a_15_character_id_and_its_18_character_form_are_the_same_user():
    assert same_user(MIA[:15], MIA)
    assert not same_user(MIA[:15].upper(), MIA)  # the 15 characters are case-sensitive
    assert not same_user(MIA, IAN)
    assert same_user("", "")


def test_a_15_character_fallback_owner_moves_no_local_owner_on_the_next_pull(
    sync_settings, emulator, make_contact
):
    # given: a fallback owner saved as typed, and Mia has a local user
    sync_settings.fallback_owner_id = MIA[:15]
    sync_settings.save()
    get_user_model().objects.create_user("mia", email=MIA_EMAIL)
    seat = SeatFactory(user__email="owner@local.example", salesforce_user_id=IAN)
    contact = make_contact("a@acme.example", owner=seat.user)

    # when: written with the fallback owner, then pulled back
    run_cycle()
    contact.refresh_from_db()
    emulator.store.update(contact.salesforce_object, contact.salesforce_id, {"Title": "CFO"})
    run_cycle()

    # then
    contact.refresh_from_db()
    assert contact.owner == seat.user
    assert same_user(contact.salesforce_owner_id, MIA)
    assert emulator.store.record(contact.salesforce_id)["OwnerId"] == MIA
    (written,) = events(contact, direction="outbound")
    assert f"written with the fallback owner Mia Manager ({MIA})." in written.error_message


def test_the_fallback_owner_of_an_update_is_recorded_as_sent(sync_settings, emulator):
    # given: a linked contact whose update names an inactive owner
    sync_settings.fallback_owner_id = MIA
    sync_settings.save()
    lead_id = emulator.store.insert("Lead", {"LastName": "Vogel", "Company": "Vogel"})
    lead = emulator.store.record(lead_id)
    contact = Contact.objects.create(  # linked, as the last pull left it
        email="ada@vogel.example", last_name="Vogel", salesforce_object="Lead",
        salesforce_id=lead_id, salesforce_owner_id=lead["OwnerId"],
        salesforce_modstamp=lead["SystemModstamp"],
    )  # fmt: skip
    cycle = Cycle(settings=sync_settings, client=salesforce_client(), recorder=Recorder(None))
    writes = push.Writes(updates=[(contact, {"OwnerId": IAN, "Title": "CFO"})])

    # when
    push.send(cycle, {"Lead": writes}, timezone.now())

    # then: what the next pull reads is no owner change made in Salesforce
    assert emulator.store.record(lead_id)["OwnerId"] == MIA
    assert contact.sync_values == {"OwnerId": MIA, "Title": "CFO"}
    assert contact.salesforce_owner_id == MIA


def test_contacts_move_to_active_local_users_only(sync_settings, emulator):
    user = get_user_model().objects.create_user("mia", email=MIA_EMAIL)
    cycle = Cycle(settings=sync_settings, client=salesforce_client(), recorder=Recorder(None))
    assert local_owners(cycle, [MIA]) == {MIA: user}

    user.is_active = False
    user.save()
    SeatFactory(user__email="seat@local.example", user__is_active=False, salesforce_user_id=IAN)

    cycle = Cycle(settings=sync_settings, client=salesforce_client(), recorder=Recorder(None))
    assert local_owners(cycle, [MIA, IAN]) == {}
