"""Salesforce merges followed end to end against the emulator: a merged-away Lead, Contact or
Account re-links its local record to the survivor, or merges it into the local record that
follows the survivor already; nothing is deleted by a deletion policy, and a re-run changes
nothing."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from integrations.choices import Operation, RunStatus
from integrations.models import SyncCursor
from integrations.sync.cycle import Cycle
from integrations.sync.merges import merges_follow
from integrations.sync.recorder import Recorder
from integrations.tests.sync.helpers import events, run_cycle
from tracking.api.read import contacts_out
from tracking.models import Company, Contact, ContactEmailAlias, Opportunity, SyncEvent
from tracking.selectors import contacts_for_reading
from tracking.services import contacts_upsert
from tracking.tests.factories import ActivityFactory, VisitFactory

pytestmark = pytest.mark.django_db
MERGED = "was merged into"


def linked_contact(make_contact, email, **fields):
    contact = make_contact(email, **fields)
    run_cycle()
    contact.refresh_from_db()
    return contact


def merge_events(record, model="contact"):
    return list(
        SyncEvent.objects.filter(
            content_type__model=model, object_id=record.pk, error_message__contains=MERGED
        )
    )


def synced(factory, **fields):
    """An activity already written to Salesforce (nothing left to push)."""
    now = timezone.now()
    return factory(salesforce_id="00T000000000001AAA", salesforce_synced_at=now,
                   local_modified_at=now - timedelta(minutes=1), **fields)  # fmt: skip


@pytest.mark.parametrize("create_from_leads", [True, False])
def test_lead_merge_relinks_the_contact_to_the_surviving_lead(
    sync_settings, emulator, make_contact, create_from_leads
):
    # given: a contact linked to a Lead, and a second Lead Salesforce made after the last
    # cycle (its row, read with the merge's, creates no second contact)
    sync_settings.create_from_leads = create_from_leads
    sync_settings.save()
    contact = linked_contact(make_contact, "dup@example.com", company="Acme")
    loser = contact.salesforce_id
    master = emulator.store.insert(
        "Lead", {"LastName": "Keeper", "Company": "Acme", "Email": "keep@example.com",
                 "Title": "CEO"},
    )  # fmt: skip
    # when
    emulator.store.merge("Lead", master, [loser])
    run = run_cycle()
    # then: the same contact follows the master, re-read from it
    contact.refresh_from_db()
    assert (contact.salesforce_id, contact.title, contact.email) == (
        master, "CEO", "keep@example.com"
    )  # fmt: skip
    assert not contact.deleted_in_salesforce
    (event,) = merge_events(contact)
    assert event.operation == Operation.MATCH
    assert event.error_message == (
        f"The Lead {loser} was merged into {master} in Salesforce; "
        f"this contact now follows {master}."
    )
    assert run.counts["Lead"]["matched"] == 1
    assert run.counts["Lead"].get("deleted", 0) == 0
    assert emulator.store.count("Lead") == 1
    assert Contact.objects.count() == 1


def test_two_local_contacts_merged_into_one_keep_history_activities_and_newer_values(
    sync_settings, emulator, make_contact
):
    # given: two local contacts linked to two Salesforce Contacts
    sync_settings.new_record_type = "Contact"
    sync_settings.save()
    survivor = linked_contact(make_contact, "ada@example.com", title="Engineer")
    company = Company.objects.create(name="Analytical Engines")
    loser = linked_contact(make_contact, "ada.l@example.com", title="Engineer", phone="555-1",
                           lifecycle_stage="customer", properties={"plan": "pro"},
                           company_record=company)  # fmt: skip
    master_id, loser_id = survivor.salesforce_id, loser.salesforce_id
    loser_history = {event.pk for event in events(loser)}
    visit = synced(VisitFactory, salesforce_who_id=loser_id, visitor_email=loser.email)
    activity = synced(ActivityFactory, salesforce_who_id=loser_id, contact_email=loser.email)
    opportunity = Opportunity.objects.create(salesforce_id="006000000000001AAA", name="Deal",
                                             stage="Prospecting")  # fmt: skip
    opportunity.contacts.add(loser)
    # the merged-away contact changed here last (its title is the newer value)
    Contact.objects.filter(pk=loser.pk).update(
        title="CTO", local_modified_at=timezone.now() + timedelta(seconds=5)
    )
    # when
    emulator.store.merge("Contact", master_id, [loser_id])
    run = run_cycle()
    # then: one contact, the one linked to the master, with everything of the other
    assert list(Contact.objects.values_list("pk", flat=True)) == [survivor.pk]
    survivor.refresh_from_db()
    assert (survivor.salesforce_id, survivor.email) == (master_id, "ada@example.com")
    # the newer change not sent yet wins; what was sent, the merge in Salesforce decided;
    # what only this side has fills the survivor's blanks
    assert (survivor.title, survivor.phone) == ("CTO", "")
    assert (survivor.lifecycle_stage, survivor.properties) == ("customer", {"plan": "pro"})
    assert survivor.company_record == company
    assert emulator.store.get("Contact", master_id)["Title"] == "CTO"  # pushed to the master
    (event,) = merge_events(survivor)
    assert event.error_message == (
        f"The Contact {loser_id} was merged into {master_id} in Salesforce; the local contact "
        f"Ada.L <ada.l@example.com> (#{loser.pk}) was merged into this one, with its history."
    )
    assert {"field": "title", "old": "Engineer", "new": "CTO"} in event.changes
    assert loser_history
    assert loser_history <= {event.pk for event in events(survivor)}
    assert not SyncEvent.objects.filter(content_type__model="contact", object_id=loser.pk)
    visit.refresh_from_db()
    activity.refresh_from_db()
    assert visit.salesforce_who_id == activity.salesforce_who_id == master_id
    assert list(opportunity.contacts.all()) == [survivor]
    assert run.counts["Contact"]["matched"] == 1
    assert run.counts["Contact"].get("deleted", 0) == 0


def test_account_merge_merges_the_companies_and_moves_their_contacts(sync_settings, emulator):
    # given: two Accounts, each a local company, one with a Contact
    sync_settings.account_sync = True
    sync_settings.save()
    master_id = emulator.store.insert("Account", {"Name": "Acme"})
    loser_id = emulator.store.insert("Account", {"Name": "Acme Inc", "Website": "acme.example"})
    emulator.store.insert(
        "Contact", {"LastName": "Ada", "Email": "ada@acme.example", "AccountId": loser_id}
    )
    run_cycle()
    survivor = Company.objects.get(salesforce_id=master_id)
    loser = Company.objects.get(salesforce_id=loser_id)
    assert Contact.objects.get().company_record == loser
    # when
    emulator.store.merge("Account", master_id, [loser_id])
    run_cycle()
    # then
    assert list(Company.objects.values_list("pk", flat=True)) == [survivor.pk]
    survivor.refresh_from_db()
    assert survivor.domain == "acme.example"  # the survivor had none
    contact = Contact.objects.get()
    assert (contact.company_record, contact.account_salesforce_id) == (survivor, master_id)
    (event,) = merge_events(survivor, model="company")
    assert f"The Account {loser_id} was merged into {master_id}" in event.error_message


def test_account_merge_relinks_the_only_company(sync_settings, emulator):
    sync_settings.account_sync = True
    sync_settings.save()
    loser_id = emulator.store.insert("Account", {"Name": "Globex"})
    run_cycle()
    company = Company.objects.get()
    master_id = emulator.store.insert("Account", {"Name": "Globex Corporation"})
    emulator.store.merge("Account", master_id, [loser_id])
    run_cycle()
    company.refresh_from_db()
    assert (company.salesforce_id, company.name) == (master_id, "Globex Corporation")
    assert merge_events(company, model="company")


@pytest.mark.parametrize("sobject", ["Lead", "Contact"])
def test_a_merge_deletes_nothing_even_when_deletions_delete_contacts(
    sync_settings, emulator, make_contact, sobject
):
    # given: deleted Leads and Contacts delete their contact here
    sync_settings.new_record_type = sobject
    sync_settings.delete_on_lead_deleted = sync_settings.delete_on_contact_deleted = True
    sync_settings.save()
    survivor = linked_contact(make_contact, "keep@example.com")
    loser = linked_contact(make_contact, "gone@example.com")
    alone = linked_contact(make_contact, "alone@example.com")
    master_id = survivor.salesforce_id
    # when: one merge with two losers (the most Salesforce allows)
    emulator.store.merge(sobject, master_id, [loser.salesforce_id, alone.salesforce_id])
    run = run_cycle()
    # then: merged, not deleted
    assert list(Contact.objects.values_list("pk", flat=True)) == [survivor.pk]
    assert not SyncEvent.objects.filter(operation=Operation.DELETE)
    assert len(merge_events(survivor)) == 2
    assert run.counts[sobject].get("deleted", 0) == 0
    assert emulator.store.count(sobject) == 1


def test_reading_a_merge_again_changes_nothing(sync_settings, emulator, make_contact):
    # given: a merge followed once
    sync_settings.create_from_leads = False
    sync_settings.save()
    contact = linked_contact(make_contact, "once@example.com")
    master = emulator.store.insert("Lead", {"LastName": "Master", "Company": "Co"})
    emulator.store.merge("Lead", master, [contact.salesforce_id])
    run_cycle()
    before = SyncEvent.objects.count()
    # when: the same rows are read again (the watermark moved back, as after a crash)
    SyncCursor.objects.update(last_modstamp=None)
    run = run_cycle()
    # then
    contact.refresh_from_db()
    assert contact.salesforce_id == master
    assert len(merge_events(contact)) == 1
    assert Contact.objects.count() == 1
    assert SyncEvent.objects.count() == before
    assert run.counts.get("Lead", {}).get("matched", 0) == 0


def test_a_crash_before_the_master_is_read_is_finished_by_the_next_run(
    sync_settings, emulator, make_contact
):
    # given: a merge made by the integration user (its master's row is not pulled: our own
    # writes are skipped), and the master's read fails once the contact is re-linked
    sync_settings.create_from_leads = False
    sync_settings.save()
    contact = linked_contact(make_contact, "crash@example.com")
    master = emulator.store.insert("Lead", {"LastName": "Master", "Company": "Co",
                                            "Title": "Founder"})  # fmt: skip
    emulator.store.merge(
        "Lead", master, [contact.salesforce_id], user_id=emulator.integration_user_id
    )
    emulator.faults.inject("503", times=50, path_contains="composite")
    failed = run_cycle()
    contact.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert (contact.salesforce_id, contact.title) == (master, "")
    # when
    emulator.faults.clear()
    run_cycle()
    # then: read from the master, merged once
    contact.refresh_from_db()
    assert (contact.salesforce_id, contact.title) == (master, "Founder")
    assert len(merge_events(contact)) == 1


def test_a_merged_away_email_posted_again_updates_the_survivor_and_creates_nothing(
    sync_settings, emulator, make_contact
):
    # given: two contacts merged into one in Salesforce, followed here
    sync_settings.new_record_type = "Contact"
    sync_settings.save()
    survivor = linked_contact(make_contact, "ada@example.com")
    loser = linked_contact(make_contact, "ada.l@example.com")
    emulator.store.merge("Contact", survivor.salesforce_id, [loser.salesforce_id])
    run_cycle()
    # when: the host product posts the merged-away email again
    (result,) = contacts_upsert(items=[{"email": "ADA.L@example.com", "title": "CTO"}])
    run_cycle()
    # then: the survivor took the post (keeping its email), and Salesforce has one Contact
    assert result.record.pk == survivor.pk
    assert list(Contact.objects.values_list("email", "title")) == [("ada@example.com", "CTO")]
    assert emulator.store.count("Contact") == 1
    assert emulator.store.get("Contact", survivor.salesforce_id)["Title"] == "CTO"
    assert [row["id"] for row in contacts_out(contacts_for_reading(email="ada.l@example.com"))] \
        == [survivor.pk]  # fmt: skip


def test_a_relinked_contact_keeps_its_old_email_as_an_alias(sync_settings, emulator, make_contact):
    # given: a contact re-linked to the surviving Lead, taking the Lead's email
    sync_settings.create_from_leads = False
    sync_settings.save()
    contact = linked_contact(make_contact, "dup@example.com")
    master = emulator.store.insert("Lead", {"LastName": "Keeper", "Company": "Co",
                                            "Email": "keep@example.com"})  # fmt: skip
    emulator.store.merge("Lead", master, [contact.salesforce_id])
    run_cycle()
    contact.refresh_from_db()
    assert contact.email == "keep@example.com"
    # when
    (result,) = contacts_upsert(items=[{"email": "dup@example.com", "title": "CEO"}])
    run_cycle()
    # then
    assert result.record.pk == contact.pk
    assert Contact.objects.count() == 1
    assert emulator.store.count("Lead") == 1
    assert emulator.store.get("Lead", master)["Title"] == "CEO"


def test_merges_of_one_batch_and_chains_follow_the_last_master(sync_settings, emulator,
                                                                make_contact):  # fmt: skip
    # given: A merged into B, then B into C, read in one batch; activities on A and B
    sync_settings.new_record_type = "Contact"
    sync_settings.save()
    a, b, c = (linked_contact(make_contact, f"{name}@example.com") for name in "abc")
    visit_a = synced(VisitFactory, salesforce_who_id=a.salesforce_id, visitor_email=a.email)
    visit_b = synced(VisitFactory, salesforce_who_id=b.salesforce_id, visitor_email=b.email)
    emulator.store.merge("Contact", b.salesforce_id, [a.salesforce_id])
    emulator.store.merge("Contact", c.salesforce_id, [b.salesforce_id])
    # when
    run_cycle()
    # then: one contact, following C, known by the two other emails
    assert list(Contact.objects.values_list("pk", flat=True)) == [c.pk]
    for visit in (visit_a, visit_b):
        visit.refresh_from_db()
        assert visit.salesforce_who_id == c.salesforce_id
    aliases = ContactEmailAlias.objects.values_list("email", "contact")
    assert sorted(aliases) == [("a@example.com", c.pk), ("b@example.com", c.pk)]


@pytest.mark.parametrize("merges", [1, 40])
def test_following_merges_takes_queries_that_do_not_grow_with_the_losers(
    sync_settings, make_contact, django_assert_max_num_queries, merges
):
    # given: a batch of Leads merged away, each into a master no contact follows yet (their
    # rows are in the batch too, so none is read again)
    contacts = [make_contact(f"p{n}@example.com", salesforce_id=f"00Q{n:015d}")
                for n in range(merges)]  # fmt: skip
    rows = [
        {"Id": contact.salesforce_id, "IsDeleted": True, "MasterRecordId": f"00Q{n + 100:015d}"}
        for n, contact in enumerate(contacts)
    ]
    rows += [{"Id": f"00Q{n + 100:015d}", "IsDeleted": False} for n in range(merges)]
    cycle = Cycle(settings=sync_settings, client=None, recorder=Recorder(None))
    ContentType.objects.get_for_model(Contact)  # cached once per process, whatever ran before
    # when
    # 575 for 40 merges one by one; 2 of the 15 look for losers in the quarantine
    with django_assert_max_num_queries(15):
        rest = merges_follow(cycle, "Lead", rows, base_fields=[], apply=None)
    # then
    assert len(rest) == merges
    masters = {row["MasterRecordId"] for row in rows if row["IsDeleted"]}
    assert set(Contact.objects.values_list("salesforce_id", flat=True)) == masters
    assert ContactEmailAlias.objects.count() == merges


def test_a_merge_loser_undeleted_later_is_skipped_as_linked_already(
    sync_settings, emulator, make_contact
):
    # given: ada.l merged into ada and followed here; Contacts created in Salesforce would
    # create contacts here
    sync_settings.new_record_type = "Contact"
    sync_settings.create_from_contacts = True
    sync_settings.save()
    survivor = linked_contact(make_contact, "ada@example.com")
    loser = linked_contact(make_contact, "ada.l@example.com")
    emulator.store.merge("Contact", survivor.salesforce_id, [loser.salesforce_id])
    run_cycle()
    # when: the loser comes back from the recycle bin
    emulator.store.undelete("Contact", loser.salesforce_id)
    run = run_cycle()
    # then: its email is the survivor's alias, and the survivor follows the master already
    assert list(Contact.objects.values_list("pk", "salesforce_id")) == [
        (survivor.pk, survivor.salesforce_id)
    ]
    assert run.counts["Contact"]["skipped"] == 1
    assert emulator.store.count("Contact") == 2
