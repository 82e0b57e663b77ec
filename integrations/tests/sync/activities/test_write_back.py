"""Write-back of sales users' InMails, messages, calls and notes (Sales Navigator's rules)."""

import base64

import pytest
from django.utils import timezone

from integrations.tests.factories import UserFactory
from integrations.tests.sync.activities.conftest import IAN, SAM, SAM_ID, seat_holder
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import ActivityKind
from tracking.models import SyncEvent
from tracking.tests.factories import ActivityFactory

RITA = "rita.rep@crmbridge-emulator.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_back(task_settings):
    task_settings.write_back = True
    task_settings.save()
    return task_settings


@pytest.fixture
def contact_id(emulator):
    return emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})


def activity(kind, **fields):
    """An activity by a seat holder with CRM sync (Sam unless `author_email=` says)."""
    fields.setdefault("contact_email", "ada@vogel.example")
    fields.setdefault("author_email", SAM)
    if "author" not in fields:
        fields["author"] = seat_holder(fields["author_email"])
    return ActivityFactory(kind=kind, local_modified_at=timezone.now(), **fields)


@pytest.mark.parametrize(
    ("kind", "subtype", "subject"),
    [(ActivityKind.INMAIL, "Email", "InMail: Intro"), (ActivityKind.MESSAGE, "Email",
      "Message: Intro"), (ActivityKind.CALL, "Call", "Call: Intro")],
)  # fmt: skip
def test_inmails_messages_and_calls_become_completed_tasks_owned_by_the_author(
    write_back, emulator, tasks, contact_id, kind, subtype, subject
):
    activity(kind, subject="Intro", body="Hi Ada,\nlet's talk.", duration_seconds=95)

    run_cycle()

    (task,) = tasks()
    assert (task["Subject"], task["Status"], task["TaskSubtype"]) == (subject, "Completed", subtype)
    assert task["WhoId"] == contact_id
    assert task["OwnerId"] == SAM_ID
    assert task["CreatedById"] == emulator.integration_user_id
    assert task["Description"] == "Hi Ada,\nlet's talk."
    assert task["CallDurationInSeconds"] == (95 if kind == ActivityKind.CALL else None)


def test_only_selected_kinds_and_copy_to_crm_items_are_written(write_back, emulator, tasks,
                                                               contact_id):  # fmt: skip
    write_back.write_back_items = ["call"]
    write_back.save()
    activity(ActivityKind.CALL, subject="Selected")
    activity(ActivityKind.INMAIL, subject="Not selected")
    activity(ActivityKind.MESSAGE, subject="Copied", copy_to_crm=True)

    run_cycle()

    assert sorted(task["Subject"] for task in tasks()) == ["Call: Selected", "Message: Copied"]


def test_nothing_is_written_back_while_write_back_is_off(task_settings, emulator, tasks,
                                                         contact_id):  # fmt: skip
    activity(ActivityKind.CALL, copy_to_crm=True)

    run_cycle()

    assert tasks() == []


def test_an_author_without_an_active_user_is_flagged_and_never_dropped(
    write_back, emulator, tasks, contact_id
):
    # given: Ian's seat is not matched (his Salesforce user is inactive), its CRM sync on
    inactive = activity(ActivityKind.INMAIL, author_email=IAN)

    run_cycle()

    (task,) = tasks()
    assert task["OwnerId"] == emulator.integration_user_id  # Salesforce refuses inactive owners
    event = SyncEvent.objects.get(content_type__model="activity", object_id=inactive.pk)
    assert f"{IAN} has no active Salesforce user" in event.error_message


def test_an_activity_goes_on_a_lead_alone_or_on_the_account_by_company(write_back, emulator, tasks):
    lead_id = emulator.store.insert("Lead", {"LastName": "L", "Company": "Acme",
                                             "Email": "lead@acme.example"})  # fmt: skip
    account_id = emulator.store.insert("Account", {"Name": "Acme"})
    activity(ActivityKind.CALL, contact_email="lead@acme.example", company="Acme", subject="A")
    activity(ActivityKind.CALL, contact_email="other@acme.example", company="Acme", subject="B")

    run_cycle()

    by_subject = {task["Subject"]: task for task in tasks()}
    assert (by_subject["Call: A"]["WhoId"], by_subject["Call: A"]["WhatId"]) == (lead_id, None)
    assert (by_subject["Call: B"]["WhoId"], by_subject["Call: B"]["WhatId"]) == (None, account_id)


def test_a_note_becomes_an_escaped_content_note_linked_to_the_contact(
    write_back, emulator, contact_id
):
    note = activity(ActivityKind.NOTE, subject="Tom's <notes>",
                    body='Budget: 5 & "soon"\r\nNext: demo\x07')  # fmt: skip

    run_cycle()

    (stored,) = emulator.store.all("ContentNote")
    assert stored["Title"] == "Tom's <notes>"
    html = base64.b64decode(stored["Content"]).decode()
    assert html == "Budget: 5 &amp; &quot;soon&quot;<br>Next: demo"
    (link,) = [row for row in emulator.store.all("ContentDocumentLink")
               if row["ContentDocumentId"] == stored["Id"]]  # fmt: skip
    assert link["LinkedEntityId"] == contact_id
    note.refresh_from_db()
    assert note.salesforce_id == stored["Id"]
    assert note.salesforce_synced_at is not None


def test_an_edited_note_updates_the_same_content_note(write_back, emulator, contact_id):
    note = activity(ActivityKind.NOTE, subject="Notes", body="first")
    run_cycle()
    note.refresh_from_db()
    note.body, note.local_modified_at = "second", timezone.now()
    note.save()

    run_cycle()

    (stored,) = emulator.store.all("ContentNote")
    assert base64.b64decode(stored["Content"]).decode() == "second"
    assert len(emulator.store.all("ContentDocumentLink")) == 1


def test_an_author_without_a_seat_is_not_written_back(write_back, emulator, tasks, contact_id):
    activity(ActivityKind.CALL, subject="No seat", author=UserFactory(email=SAM))
    activity(ActivityKind.CALL, subject="No local user", author=None)

    run_cycle()

    assert tasks() == []


def test_without_auto_sync_only_seats_with_crm_sync_are_written_back(
    write_back, emulator, tasks, contact_id
):
    write_back.auto_sync_seat_holders = False
    write_back.save()
    activity(ActivityKind.CALL, subject="Syncs", author=seat_holder(SAM))
    activity(ActivityKind.CALL, subject="Off", author_email=RITA,
             author=seat_holder(RITA, crm_sync=False))  # fmt: skip

    run_cycle()

    assert [task["Subject"] for task in tasks()] == ["Call: Syncs"]


def test_with_auto_sync_a_seat_with_crm_sync_off_is_written_back(
    write_back, emulator, tasks, contact_id
):
    activity(ActivityKind.CALL, subject="Auto", author_email=RITA,
             author=seat_holder(RITA, crm_sync=False))  # fmt: skip

    run_cycle()

    assert [task["Subject"] for task in tasks()] == ["Call: Auto"]
