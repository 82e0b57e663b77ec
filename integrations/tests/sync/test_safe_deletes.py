"""Safe deletes end to end against the emulator: the mass-delete brake, the quarantine with
restore and purge, undeletes in Salesforce, and a crash between deciding and applying."""

import threading
from datetime import timedelta

import pytest
from django.db import connection as db
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.choices import BrakeStatus, Direction, Operation, RunStatus
from integrations.models import DeleteBrake, PendingDeletion, QuarantinedRecord
from integrations.services.safe_deletes import (
    BrakeDecidedError,
    delete_brake_cancel,
    delete_brake_confirm,
    delete_brakes_resume,
    quarantine_purge,
    quarantined_record_restore,
)
from integrations.sync import engine, safe_deletes
from integrations.sync.handlers import people
from integrations.sync.quarantine import RestoreError
from integrations.sync.safe_deletes import undeleted_back
from integrations.tasks import quarantine_purge_task, salesforce_sweep_task
from integrations.tests.sync.helpers import events, run_cycle
from tracking.models import Contact, SyncEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleting(sync_settings):
    """Contacts go when their Lead is deleted (the policy that deletes here)."""
    sync_settings.delete_on_lead_deleted = True
    sync_settings.save()
    return sync_settings


@pytest.fixture
def linked(deleting, make_contact):
    """`count` contacts linked to Leads by one cycle."""

    def make(count):
        for index in range(count):
            make_contact(f"person{index}@example.com")
        run_cycle()
        return list(Contact.objects.order_by("pk"))

    return make


def shown(brake):
    """The last held deletion the brake's page shows now (what a decision covers)."""
    return brake.held.aggregate(upto=Max("pk"))["upto"]


def delete_leads(emulator, contacts):
    for contact in contacts:
        emulator.store.delete("Lead", contact.salesforce_id)


def test_a_deletion_below_the_threshold_moves_the_contact_into_quarantine(linked, emulator):
    contacts = linked(20)  # 5 % of 20: one deletion may go through
    gone = contacts[0]
    delete_leads(emulator, [gone])
    run = run_cycle()
    assert not Contact.objects.filter(pk=gone.pk).exists()
    entry = QuarantinedRecord.objects.get()
    assert (entry.object_id, entry.salesforce_object, entry.salesforce_id) == (
        gone.pk,
        "Lead",
        gone.salesforce_id,
    )
    assert entry.purge_after - entry.deleted_at == timedelta(days=30)
    assert run.counts["Lead"]["deleted"] == 1
    (event,) = events(gone, operation=Operation.DELETE)
    assert "quarantine for 30 days" in event.error_message
    assert not PendingDeletion.objects.exists()


def test_more_deletions_than_the_threshold_are_held_and_nothing_is_deleted(linked, emulator):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run = run_cycle()
    assert run.status == RunStatus.SUCCEEDED
    assert Contact.objects.count() == 20
    assert not QuarantinedRecord.objects.exists()
    brake = DeleteBrake.objects.get()
    assert (brake.status, brake.tripped_count, brake.linked_count, brake.threshold) == (
        BrakeStatus.HOLDING,
        3,
        20,
        1,
    )
    assert brake.held.count() == 3
    assert run.counts["Lead"]["skipped"] == 3
    assert "deleted" not in run.counts["Lead"]
    held = Contact.objects.get(pk=contacts[0].pk)
    assert held.deleted_in_salesforce  # not sent to a deleted Lead meanwhile
    (event,) = events(held, operation=Operation.SKIP)
    assert "held by the mass-delete brake" in event.error_message


def test_a_later_cycle_adds_its_deletions_to_the_held_ones(linked, emulator):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    delete_leads(emulator, contacts[3:4])  # one alone would go through
    run = run_cycle()
    brake = DeleteBrake.objects.get()
    assert brake.held.count() == 4
    assert Contact.objects.count() == 20
    assert run.counts["Lead"]["skipped"] == 1


def test_confirm_moves_every_held_contact_into_quarantine(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    brake = DeleteBrake.objects.get()
    assert delete_brake_confirm(brake=brake, user=admin_user, upto=shown(brake)).records == 3
    brake.refresh_from_db()
    assert (brake.status, brake.decided_by) == (BrakeStatus.CONFIRMED, admin_user)
    assert Contact.objects.count() == 17
    assert QuarantinedRecord.objects.count() == 3
    assert not PendingDeletion.objects.exists()
    with pytest.raises(BrakeDecidedError):
        delete_brake_cancel(brake=brake, user=admin_user, upto=shown(brake))


def test_cancel_keeps_the_contacts_unlinked_and_marked(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    brake = DeleteBrake.objects.get()
    assert delete_brake_cancel(brake=brake, user=admin_user, upto=shown(brake)).records == 3
    kept = Contact.objects.get(pk=contacts[0].pk)
    assert (kept.salesforce_id, kept.deleted_in_salesforce) == ("", True)
    assert Contact.objects.count() == 20
    assert not QuarantinedRecord.objects.exists()
    assert not PendingDeletion.objects.exists()
    run = run_cycle()  # nothing held any more, nothing re-created in Salesforce
    assert run.status == RunStatus.SUCCEEDED
    assert emulator.store.count("Lead") == 17


def test_after_a_decision_the_next_deletions_face_the_brake_afresh(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    brake = DeleteBrake.objects.get()
    delete_brake_cancel(brake=brake, user=admin_user, upto=shown(brake))
    delete_leads(emulator, contacts[3:4])
    run_cycle()
    assert not Contact.objects.filter(pk=contacts[3].pk).exists()
    assert DeleteBrake.objects.count() == 1


@pytest.mark.parametrize(
    ("percent", "count", "deleted", "held"),
    [
        (10, 500, 2, False),  # 10 % of 20 = 2: not more
        (10, 500, 3, True),
        (100, 2, 2, False),  # the count is smaller than 100 % of 20
        (100, 2, 3, True),
    ],
)
def test_the_smaller_of_percent_and_count_is_the_threshold(
    linked, emulator, deleting, percent, count, deleted, held
):
    deleting.delete_brake_percent, deleting.delete_brake_count = percent, count
    deleting.save()
    contacts = linked(20)
    delete_leads(emulator, contacts[:deleted])
    run_cycle()
    assert DeleteBrake.objects.exists() is held
    assert Contact.objects.count() == (20 if held else 20 - deleted)


def test_restore_brings_the_contact_back_with_its_link(linked, emulator, admin_user):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])
    run_cycle()
    restored = quarantined_record_restore(entry=QuarantinedRecord.objects.get(), user=admin_user)
    contact = Contact.objects.get(pk=gone.pk)
    assert restored.pk == gone.pk
    assert (contact.email, contact.salesforce_object, contact.salesforce_id) == (
        gone.email,
        "Lead",
        gone.salesforce_id,
    )
    assert contact.deleted_in_salesforce  # its Lead is still deleted: nothing is sent to it
    assert not QuarantinedRecord.objects.exists()
    (restore,) = events(contact, operation=Operation.CREATE, direction=Direction.INBOUND)
    assert "Restored from quarantine" in restore.error_message
    assert events(contact, operation=Operation.DELETE)  # the history stayed with it


def test_restore_is_refused_when_the_email_is_taken_now(linked, emulator, admin_user, make_contact):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])
    run_cycle()
    make_contact(gone.email.upper())
    with pytest.raises(RestoreError, match="already exists"):
        quarantined_record_restore(entry=QuarantinedRecord.objects.get(), user=admin_user)
    assert QuarantinedRecord.objects.count() == 1


def test_purge_deletes_what_outlived_the_window_and_keeps_the_history(linked, emulator):
    contacts = linked(20)
    delete_leads(emulator, contacts[:1])
    run_cycle()
    delete_leads(emulator, contacts[1:2])
    run_cycle()
    old, recent = QuarantinedRecord.objects.order_by("pk")
    QuarantinedRecord.objects.filter(pk=old.pk).update(purge_after=timezone.now())
    assert quarantine_purge() == 1
    assert list(QuarantinedRecord.objects.all()) == [recent]
    assert SyncEvent.objects.filter(object_id=contacts[0].pk, operation=Operation.DELETE)


def test_undeleted_in_salesforce_within_the_window_is_restored(linked, emulator):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])
    run_cycle()
    emulator.store.undelete("Lead", gone.salesforce_id)
    emulator.store.update("Lead", gone.salesforce_id, {"Title": "Back"})
    run = run_cycle()
    contact = Contact.objects.get(pk=gone.pk)
    assert (contact.salesforce_id, contact.deleted_in_salesforce) == (gone.salesforce_id, False)
    assert contact.title == "Back"
    assert not QuarantinedRecord.objects.exists()
    assert run.counts["Lead"]["created"] == 1
    assert Contact.objects.count() == 20


def test_undeleted_after_the_window_is_not_restored(linked, emulator):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])
    run_cycle()
    QuarantinedRecord.objects.update(purge_after=timezone.now() - timedelta(seconds=1))
    emulator.store.undelete("Lead", gone.salesforce_id)
    run_cycle()
    assert not Contact.objects.filter(pk=gone.pk).exists()
    assert Contact.objects.filter(salesforce_id=gone.salesforce_id).exists()  # created anew


def test_a_held_contact_undeleted_in_salesforce_drops_its_deletion(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    emulator.store.undelete("Lead", contacts[0].salesforce_id)
    run_cycle()
    back = Contact.objects.get(pk=contacts[0].pk)
    assert not back.deleted_in_salesforce
    assert back.salesforce_id == contacts[0].salesforce_id
    brake = DeleteBrake.objects.get()
    assert brake.held.count() == 2
    delete_brake_confirm(brake=brake, user=admin_user, upto=shown(brake))
    assert Contact.objects.filter(pk=back.pk).exists()
    assert Contact.objects.count() == 18


def test_a_crash_between_deciding_and_applying_loses_no_deletion(linked, emulator, monkeypatch):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])

    def crash(cycle):
        raise RuntimeError("worker died")

    # given: the pull recorded the deletion (and moved its watermark), then the cycle died
    monkeypatch.setattr(engine, "deletions_settle", crash)
    with pytest.raises(RuntimeError):
        run_cycle()
    assert PendingDeletion.objects.filter(object_id=gone.pk).exists()
    assert Contact.objects.get(pk=gone.pk).deleted_in_salesforce
    # when: the next cycle runs
    monkeypatch.undo()
    run_cycle()
    # then
    assert not Contact.objects.filter(pk=gone.pk).exists()
    assert QuarantinedRecord.objects.filter(object_id=gone.pk).exists()


def test_the_purge_task_purges(linked, emulator):
    delete_leads(emulator, linked(20)[:1])
    run_cycle()
    QuarantinedRecord.objects.update(purge_after=timezone.now() - timedelta(minutes=1))
    assert quarantine_purge_task() == 1
    assert not QuarantinedRecord.objects.exists()


def test_a_held_contact_unlinked_meanwhile_is_not_deleted(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    Contact.objects.filter(pk=contacts[0].pk).update(salesforce_id="")  # e.g. a data purge
    brake = DeleteBrake.objects.get()
    assert delete_brake_confirm(brake=brake, user=admin_user, upto=shown(brake)).records == 2
    assert Contact.objects.filter(pk=contacts[0].pk).exists()
    assert not PendingDeletion.objects.exists()


def test_the_sweep_finishes_a_decision_a_crash_left_unapplied(linked, emulator):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    # given: the decision was stored, then the request died before applying it
    DeleteBrake.objects.update(status=BrakeStatus.CONFIRMED, decided_at=timezone.now())
    # when
    salesforce_sweep_task()
    # then
    assert Contact.objects.count() == 17
    assert QuarantinedRecord.objects.count() == 3


def test_a_confirm_while_a_cycle_holds_more_deletes_only_what_was_held(
    linked, emulator, admin_user, monkeypatch
):
    contacts = linked(40)  # 5 % of 40: two may go through
    delete_leads(emulator, contacts[:3])
    run_cycle()
    first = DeleteBrake.objects.get()
    delete_leads(emulator, contacts[3:30])
    hold = safe_deletes._hold

    def confirmed_meanwhile(fresh, *, brake, recorder):
        if brake == first:  # the admin confirms the 3 on the page as the settle holds more
            delete_brake_confirm(brake=first, user=admin_user, upto=shown(first))
        return hold(fresh, brake=brake, recorder=recorder)

    monkeypatch.setattr(safe_deletes, "_hold", confirmed_meanwhile)
    run_cycle()
    monkeypatch.undo()
    assert QuarantinedRecord.objects.count() == 3
    second = DeleteBrake.objects.get(status=BrakeStatus.HOLDING)
    assert second.held.count() == 27
    assert not first.held.exists()
    run_cycle()  # nobody decided the 27: nothing deletes them
    assert Contact.objects.count() == 37


def test_a_decision_covers_only_the_deletions_shown(linked, emulator, admin_user):
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    brake = DeleteBrake.objects.get()
    upto = shown(brake)  # the admin's page
    delete_leads(emulator, contacts[3:5])
    run_cycle()
    assert brake.held.count() == 5
    decided = delete_brake_confirm(brake=brake, user=admin_user, upto=upto)
    assert decided == (3, 2)
    assert Contact.objects.count() == 17
    later = DeleteBrake.objects.get(status=BrakeStatus.HOLDING)
    assert set(later.held.values_list("object_id", flat=True)) == {c.pk for c in contacts[3:5]}
    run_cycle()
    assert Contact.objects.count() == 17


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_finishing_a_decision_apply_each_deletion_once(
    postgres_url, linked, emulator, monkeypatch
):
    """The sweep and a cycle's settle at once, on PostgreSQL (SQLite's transactions take
    the write lock when they begin, so the race cannot happen there)."""
    # given: a confirmed brake whose deletions were not applied yet
    contacts = linked(20)
    delete_leads(emulator, contacts[:3])
    run_cycle()
    DeleteBrake.objects.update(status=BrakeStatus.CONFIRMED, decided_at=timezone.now())
    quarantined, inside, second_done = (
        safe_deletes._quarantined,
        threading.Event(),
        threading.Event(),
    )

    def pausing(item, record, **kwargs):
        if threading.current_thread().name == "first" and not inside.is_set():
            inside.set()  # the first worker is in its chunk: the second one runs now
            second_done.wait(timeout=5)
        return quarantined(item, record, **kwargs)

    monkeypatch.setattr(safe_deletes, "_quarantined", pausing)
    moved = {}

    def work():
        try:
            moved[threading.current_thread().name] = delete_brakes_resume()
        finally:
            db.close()

    # when
    first = threading.Thread(target=work, name="first")
    first.start()
    inside.wait(timeout=10)
    second = threading.Thread(target=work, name="second")
    second.start()
    second.join(timeout=10)
    second_done.set()
    first.join()
    second.join()
    # then
    assert sum(moved.values()) == 3
    assert SyncEvent.objects.filter(operation=Operation.DELETE).count() == 3
    assert QuarantinedRecord.objects.count() == 3


def test_a_quarantined_contact_whose_lead_was_undeleted_and_merged_follows_the_merge(
    linked, emulator
):
    gone = linked(20)[0]
    delete_leads(emulator, [gone])
    run_cycle()
    master = emulator.store.insert("Lead", {"LastName": "Keeper", "Company": "Acme"})
    emulator.store.undelete("Lead", gone.salesforce_id)
    emulator.store.merge("Lead", master, [gone.salesforce_id])
    run_cycle()
    contact = Contact.objects.get(pk=gone.pk)
    assert (contact.salesforce_id, contact.deleted_in_salesforce) == (master, False)
    assert not QuarantinedRecord.objects.exists()
    assert Contact.objects.count() == 20
    (restore,) = events(contact, operation=Operation.CREATE, direction=Direction.INBOUND)
    assert "restored from quarantine to follow the merge" in restore.error_message


def test_undeleted_contacts_come_back_from_quarantine_in_a_few_queries(
    linked, emulator, deleting, monkeypatch
):
    deleting.delete_brake_percent = 100
    deleting.save()
    contacts = linked(20)
    delete_leads(emulator, contacts[:12])
    run_cycle()
    counted = []

    def counting(*args):
        with CaptureQueriesContext(db) as queries:
            restored = undeleted_back(*args)
        counted.append((len(restored), len(queries)))
        return restored

    monkeypatch.setattr(people, "undeleted_back", counting)
    for contact in contacts[:12]:
        emulator.store.undelete("Lead", contact.salesforce_id)
    run_cycle()
    assert Contact.objects.count() == 20
    ((restored, queries),) = [pair for pair in counted if pair[0]]
    assert restored == 12
    assert queries <= 12  # a fixed number, not a few per restored record
