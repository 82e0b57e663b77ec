"""What an activity's history page says: why it is not sent (the task sync settings, no
match yet), and what was written, matched how."""

import pytest
from django.utils import timezone

from integrations.tests.factories import SeatFactory, UserFactory
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import ActivityKind, LinkKind
from tracking.tests.factories import ActivityFactory, LinkFactory, RoomFactory, VisitFactory
from tracking.views.history import history_url

pytestmark = pytest.mark.django_db


def page(client, record) -> str:
    response = client.get(history_url(record))
    assert response.status_code == 200
    return response.content.decode()


def test_each_switch_says_why_its_records_are_not_sent(admin_client, task_settings):
    visit = VisitFactory()
    room_link = LinkFactory(kind=LinkKind.ROOM, document=None, room=RoomFactory())
    call = ActivityFactory(kind=ActivityKind.CALL)
    task_settings.sync_visits = task_settings.sync_rooms = False
    task_settings.save()

    assert "Not sent: the sync of this kind of record is off." in page(admin_client, visit)
    assert "Not sent: the sync of this kind of record is off." in page(admin_client, room_link)
    assert "Not sent: write-back is off, or this kind is not written back." in page(
        admin_client, call
    )
    task_settings.task_sync = False
    task_settings.save()
    assert "Not sent: task sync is off." in page(admin_client, visit)


def test_an_activity_of_an_author_without_a_seat_that_syncs_says_so(admin_client, task_settings):
    task_settings.write_back = True
    task_settings.write_back_items = ["inmail"]
    task_settings.auto_sync_seat_holders = False
    task_settings.save()
    no_seat = ActivityFactory(author=UserFactory())
    sync_off = ActivityFactory(author=SeatFactory(crm_sync=False).user)
    not_chosen = ActivityFactory(kind=ActivityKind.CALL, author=SeatFactory().user)
    chosen = ActivityFactory(author=SeatFactory().user)

    reason = "Not sent: the author has no seat with CRM sync."
    assert reason in page(admin_client, no_seat)
    assert reason in page(admin_client, sync_off)
    assert "Not sent: write-back is off, or this kind is not written back." in page(
        admin_client, not_chosen
    )
    assert "Not sent" not in page(admin_client, chosen)


def test_a_waiting_visit_says_so_and_a_written_one_says_how_it_was_matched(
    admin_client, task_settings, emulator
):
    waiting = VisitFactory(visitor_email="x@nowhere.example", company="",
                           local_modified_at=timezone.now())  # fmt: skip
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    written = VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now())

    run_cycle()

    html = page(admin_client, waiting)
    assert "Not sent: no matching Contact, Lead or Account yet (retried automatically)." in html
    assert "Waiting for a match: Salesforce has no Contact or Lead with the email" in html
    written.refresh_from_db()
    html = page(admin_client, written)
    assert "On the Contact with the same email." in html
    assert f"Synced with Salesforce Task {written.salesforce_id} on " in html
