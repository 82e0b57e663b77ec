"""Group activation and deactivation of CRM sync, and the purge of imported CRM data."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_q.models import Schedule

from integrations.choices import PurgeStatus, RunStatus
from integrations.exceptions import CrmActivationError
from integrations.models import CrmDataPurge, FieldMapping, Seat, SyncCursor, SyncRun, SyncSettings
from integrations.services.crm_activation import (
    PurgeCount,
    crm_sync_activate,
    crm_sync_deactivate,
    purge_counts,
    seat_holders_with_crm_sync,
)
from integrations.services.crm_purge import crm_data_purge_run, crm_data_purges_resume
from integrations.sync.lease import NAME, lease_acquire, lease_release
from integrations.sync.mapping_validation import default_mappings
from integrations.tasks import crm_data_purge_task
from integrations.tests.factories import CrmDataPurgeFactory, SyncCursorFactory
from tracking.choices import MatchMethod, Origin, SalesforceObject
from tracking.models import Company, Contact, Opportunity, SyncEvent, Visit
from tracking.tests.factories import (
    CompanyFactory,
    ContactFactory,
    OpportunityFactory,
    SyncEventFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def make_seat(email: str, *, crm_sync: bool = True) -> Seat:
    user = get_user_model().objects.create_user(email, email=email, password="pw")
    return Seat.objects.create(user=user, crm_sync=crm_sync)


def with_default_mappings() -> None:
    for mapping in default_mappings():
        FieldMapping.objects.get_or_create(
            salesforce_object=mapping["salesforce_object"],
            salesforce_field=mapping["salesforce_field"],
            defaults={"local_field": mapping["local_field"], "rule": mapping["rule"]},
        )


def imported_and_local_records():
    """An imported contact, company and opportunity with history; the same created here."""
    now = timezone.now()
    imported_company = CompanyFactory(origin=Origin.SALESFORCE, salesforce_id="001A")
    imported = ContactFactory(
        origin=Origin.SALESFORCE, salesforce_id="003A", salesforce_object=SalesforceObject.CONTACT,
        company_record=imported_company, salesforce_synced_at=now,
    )  # fmt: skip
    local_company = CompanyFactory(
        origin=Origin.LOCAL, salesforce_id="001B", salesforce_synced_at=now,
        sync_values={"Name": "Local"},
    )  # fmt: skip
    local = ContactFactory(
        origin=Origin.LOCAL, salesforce_id="00QB", salesforce_object=SalesforceObject.LEAD,
        salesforce_synced_at=now, salesforce_modstamp=now, sync_values={"Email": "x"},
        deleted_in_salesforce=True, account_salesforce_id="001B", company_record=local_company,
    )  # fmt: skip
    opportunity = OpportunityFactory(company=imported_company)
    opportunity.contacts.add(imported, local)
    for record in (imported, imported_company, opportunity, local):
        SyncEventFactory(record=record)
    return {"imported": imported, "local": local, "local_company": local_company}


# -- activation ---------------------------------------------------------------------------


def test_activation_without_a_connection_says_so_and_changes_nothing():
    with pytest.raises(CrmActivationError, match="not connected") as raised:
        crm_sync_activate()

    assert raised.value.needs_connection
    assert "connection page" in raised.value.hint
    assert not SyncSettings.load().sync_enabled
    assert not SyncRun.objects.exists()


def test_activation_switches_the_sync_on_and_queues_the_first_import(
    connection, django_capture_on_commit_callbacks
):
    # given: two seats, one with CRM sync, auto-sync off
    SyncSettings.load().update_columns(auto_sync_seat_holders=False)
    make_seat("sam@example.com")
    make_seat("rita@example.com", crm_sync=False)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        activation = crm_sync_activate()

    # then
    assert SyncSettings.load().sync_enabled
    assert activation.run.status == RunStatus.PENDING
    assert (activation.seat_holders, activation.seats) == (1, 2)
    assert len(callbacks) == 1  # the enqueue, once committed


def test_activation_runs_the_first_import_here(connection, emulator):
    # given: a Contact in Salesforce, a seat holder with CRM sync
    with_default_mappings()
    emulator.store.insert("Contact", {"LastName": "Cole", "Email": "cole@example.com"})
    make_seat("sam@example.com")

    # when
    activation = crm_sync_activate(background=False)

    # then
    assert activation.run.status == RunStatus.SUCCEEDED
    assert activation.seat_holders == 1
    contact = Contact.objects.get(email="cole@example.com")
    assert contact.origin == Origin.SALESFORCE


def test_activation_after_a_group_deactivation_switches_every_seat_on(connection):
    make_seat("sam@example.com")
    make_seat("rita@example.com")
    crm_sync_deactivate(purge=False)
    assert seat_holders_with_crm_sync() == 0

    activation = crm_sync_activate()

    assert activation.seat_holders == 2
    assert set(Seat.objects.values_list("crm_sync", flat=True)) == {True}


def test_activation_keeps_the_seats_own_switches_when_some_sync(connection):
    settings = SyncSettings.load()
    settings.auto_sync_seat_holders = False
    settings.save()
    make_seat("sam@example.com")
    make_seat("rita@example.com", crm_sync=False)

    activation = crm_sync_activate()

    assert activation.seat_holders == 1
    assert not Seat.objects.get(user__email="rita@example.com").crm_sync


def test_activation_waits_for_an_unfinished_purge(connection):
    purge = CrmDataPurgeFactory(status=PurgeStatus.RUNNING)

    with pytest.raises(CrmActivationError, match=f"purge {purge.pk} .*not finished"):
        crm_sync_activate()

    assert not SyncSettings.load().sync_enabled


# -- deactivation -------------------------------------------------------------------------


def test_deactivation_without_purge_stops_the_sync_and_every_seat_deletes_nothing():
    # given
    SyncSettings.load().update_columns(sync_enabled=True, auto_sync_seat_holders=True)
    seats = [make_seat("sam@example.com"), make_seat("rita@example.com")]
    records = imported_and_local_records()

    # when
    deactivation = crm_sync_deactivate(purge=False)

    # then
    settings = SyncSettings.load()
    assert (settings.sync_enabled, settings.auto_sync_seat_holders) == (False, False)
    assert not any(seat.crm_sync for seat in Seat.objects.all())
    assert not any(seat.syncs(auto_sync=False) for seat in Seat.objects.all())
    assert (deactivation.seats, deactivation.purge) == (len(seats), None)
    assert Contact.objects.filter(pk=records["imported"].pk).exists()
    assert Opportunity.objects.count() == 1
    assert SyncEvent.objects.count() == 4
    assert not CrmDataPurge.objects.exists()


def test_purge_counts_say_what_is_deleted_and_kept():
    imported_and_local_records()
    VisitFactory()

    counts = {count.kind: count for count in purge_counts()}

    assert counts["contacts"] == PurgeCount("contacts", delete=1, keep=1)
    assert counts["companies"] == PurgeCount("companies", delete=1, keep=1)
    assert counts["opportunities"] == PurgeCount("opportunities", delete=1, keep=0)
    assert counts["visits"] == PurgeCount("visits", delete=0, keep=1)


def test_deactivation_with_purge_deletes_imported_records_and_unlinks_the_local_ones(
    django_capture_on_commit_callbacks,
):
    # given
    SyncSettings.load().update_columns(sync_enabled=True)
    make_seat("sam@example.com")
    records = imported_and_local_records()
    visit = VisitFactory(
        salesforce_id="00TV", salesforce_who_id="003A", matched_by=MatchMethod.CONTACT_EMAIL,
        salesforce_synced_at=timezone.now(), unresolved_since=timezone.now(),
    )  # fmt: skip
    SyncCursorFactory(salesforce_object="Contact")
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")

    # when: deactivated with the purge, which the task then runs
    with django_capture_on_commit_callbacks() as callbacks:
        deactivation = crm_sync_deactivate(purge=True, user=admin)
    assert len(callbacks) == 1  # the purge's enqueue
    assert deactivation.purge.status == PurgeStatus.PENDING
    assert crm_data_purge_task(purge_id=deactivation.purge.pk) == PurgeStatus.SUCCEEDED

    # then: imported records and their history are gone
    assert not Contact.objects.filter(origin=Origin.SALESFORCE).exists()
    assert not Company.objects.filter(origin=Origin.SALESFORCE).exists()
    assert not Opportunity.objects.exists()
    contact_type = ContentType.objects.get_for_model(Contact)
    assert list(SyncEvent.objects.values_list("content_type", "object_id")) == [
        (contact_type.pk, records["local"].pk)
    ]
    # records created here are kept, unlinked
    local = Contact.objects.get(pk=records["local"].pk)
    assert (local.salesforce_id, local.salesforce_object, local.account_salesforce_id) == (
        "", "", ""
    )  # fmt: skip
    assert (local.salesforce_synced_at, local.salesforce_modstamp) == (None, None)
    assert (local.sync_values, local.deleted_in_salesforce) == ({}, False)
    assert local.company_record == records["local_company"]
    assert Company.objects.get().salesforce_id == ""
    visit = Visit.objects.get(pk=visit.pk)
    assert (visit.salesforce_id, visit.salesforce_who_id, visit.matched_by) == ("", "", "")
    # synced as of the purge: a later activation does not write it again
    assert visit.salesforce_synced_at is not None
    assert visit.unresolved_since is None
    # the cursors start afresh; the purge is recorded
    assert not SyncCursor.objects.exists()
    purge = CrmDataPurge.objects.get()
    assert purge.started_by == admin
    assert purge.finished_at is not None
    assert purge.counts["contacts"] == {"to_delete": 1, "to_keep": 1, "deleted": 1, "unlinked": 1}
    assert purge.counts["opportunities"] == {"to_delete": 1, "to_keep": 0, "deleted": 1}
    assert (purge.done, purge.total, purge.progress_percent) == (purge.total, purge.total, 100)


def test_purge_runs_in_batches_with_progress():
    # given: 5,000 imported contacts with a history row each
    Contact.objects.bulk_create(
        Contact(email=f"p{n}@example.com", origin=Origin.SALESFORCE, salesforce_id=f"003{n:015d}")
        for n in range(5_000)
    )
    contact_type = ContentType.objects.get_for_model(Contact)
    SyncEvent.objects.bulk_create(
        SyncEvent(content_type=contact_type, object_id=pk, direction="inbound", operation="create")
        for pk in Contact.objects.values_list("pk", flat=True)
    )
    deactivation = crm_sync_deactivate(purge=True, background=False)
    steps = []

    # when
    crm_data_purge_run(
        purge=deactivation.purge,
        batch_size=1_000,
        on_progress=lambda purge: steps.append((purge.phase, purge.done, purge.total)),
    )

    # then: five batches of 1,000, each one step of the bar
    assert steps == [("Deleting imported contacts", done, 5_000)
                     for done in range(1_000, 5_001, 1_000)]  # fmt: skip
    assert not Contact.objects.exists()
    assert not SyncEvent.objects.exists()
    assert CrmDataPurge.objects.get().status == PurgeStatus.SUCCEEDED


def test_purge_waits_for_a_running_sync_and_tries_again_later(
    django_capture_on_commit_callbacks,
):
    # given: a sync run holds the sync lease
    holder = lease_acquire(name=NAME)
    imported = ContactFactory(origin=Origin.SALESFORCE)
    purge = crm_sync_deactivate(purge=True, background=False).purge

    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert crm_data_purge_task(purge_id=purge.pk) == PurgeStatus.PENDING

    # then: nothing deleted, a one-off retry scheduled
    purge.refresh_from_db()
    assert (purge.attempts, purge.phase) == (1, "Waiting for the sync run in progress to finish")
    assert Contact.objects.filter(pk=imported.pk).exists()
    retry = Schedule.objects.get(func="integrations.tasks.crm_data_purge_task")
    assert (retry.schedule_type, retry.kwargs) == (Schedule.ONCE, f"{{'purge_id': {purge.pk}}}")

    # when the sync is done, the retry purges
    lease_release(holder=holder)
    assert crm_data_purge_task(purge_id=purge.pk) == PurgeStatus.SUCCEEDED
    assert not Contact.objects.exists()


def test_purge_that_keeps_waiting_fails_saying_what_to_do(settings):
    settings.SALESFORCE_PURGE_MAX_ATTEMPTS = 1
    lease_acquire(name=NAME)
    purge = crm_sync_deactivate(purge=True, background=False).purge

    assert crm_data_purge_task(purge_id=purge.pk) == PurgeStatus.FAILED

    purge.refresh_from_db()
    assert "crm_sync deactivate --purge --yes" in purge.error


def test_a_redelivered_purge_task_does_nothing_again():
    purge = CrmDataPurgeFactory(status=PurgeStatus.SUCCEEDED)
    ContactFactory(origin=Origin.SALESFORCE)

    assert crm_data_purge_task(purge_id=purge.pk) == PurgeStatus.SUCCEEDED

    assert Contact.objects.count() == 1


def test_sweep_enqueues_purges_a_lost_task_left(django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(hours=1)
    lost = CrmDataPurgeFactory(status=PurgeStatus.RUNNING)
    CrmDataPurge.objects.filter(pk=lost.pk).update(created_at=long_ago, heartbeat_at=long_ago)
    CrmDataPurgeFactory(status=PurgeStatus.RUNNING, heartbeat_at=timezone.now())  # working

    with django_capture_on_commit_callbacks() as callbacks:
        assert crm_data_purges_resume() == 1

    assert len(callbacks) == 1


def test_activities_written_before_a_purge_are_not_written_again_after_activation(
    connection, emulator
):
    from integrations.tests.sync.helpers import run_cycle

    settings = SyncSettings.load()
    settings.sync_enabled = settings.task_sync = True
    settings.save()
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now(),
                 link__account_name="")  # fmt: skip
    run_cycle()
    assert len(emulator.store.all("Task")) == 1

    crm_data_purge_run(purge=crm_sync_deactivate(purge=True, background=False).purge)
    crm_sync_activate(background=False)

    assert len(emulator.store.all("Task")) == 1


def test_a_second_purge_while_one_is_unfinished_is_refused(connection):
    first = crm_sync_deactivate(purge=True, background=False).purge

    with pytest.raises(CrmActivationError, match="has not finished yet"):
        crm_sync_deactivate(purge=True, background=False)

    assert list(CrmDataPurge.objects.all()) == [first]
