"""History names a field the same way whichever direction changed it (both names stored)."""

import pytest

from integrations.choices import Direction, Operation
from integrations.tests.sync.helpers import events, run_cycle
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


def title_change(contact, direction):
    event = events(contact, direction=direction, operation=Operation.UPDATE)[0]
    return next(change for change in event.changes if change["salesforce_field"] == "Title")


def test_both_directions_record_the_local_and_the_salesforce_name(
    sync_settings, emulator, make_contact, admin_client
):
    # given: a contact sent to Salesforce, then changed there, then here
    contact = make_contact("names@example.com", title="Start")
    run_cycle()
    contact.refresh_from_db()
    emulator.store.update("Lead", contact.salesforce_id, {"Title": "Remote"})
    run_cycle()
    contact.refresh_from_db()
    contact.title = "Local"
    contact.save()
    contact.__class__.objects.filter(pk=contact.pk).update(local_modified_at=contact.updated_at)

    # when
    run_cycle()

    # then
    inbound = title_change(contact, Direction.INBOUND)
    outbound = title_change(contact, Direction.OUTBOUND)
    assert (inbound["field"], inbound["new"]) == ("title", "Remote")
    assert (outbound["field"], outbound["new"]) == ("title", "Local")
    html = admin_client.get(history_url(contact)).content.decode()
    # sent on create, changed there, changed here: one name for all three
    assert html.count('Title <span class="muted">(Title)</span>: ') == 3
