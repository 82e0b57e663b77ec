"""Visits → Tasks, end to end against the emulator: DocSend's matching rules, the unmatched
options, replay when a match appears, and one Task per visit."""

import pytest
from django.utils import timezone

from integrations.services.activities_push import salesforce_activities_push
from integrations.services.unresolved import activity_match_manual
from integrations.tests.sync.activities.conftest import SAM, SAM_ID
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import MatchMethod
from tracking.models import Contact, SyncEvent, Visit
from tracking.tests.factories import LinkFactory, VisitFactory

pytestmark = pytest.mark.django_db


def visit(**fields):
    fields.setdefault("local_modified_at", timezone.now())
    return VisitFactory(**fields)


def test_a_visit_of_a_known_contact_becomes_one_completed_task(task_settings, emulator, tasks):
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"}
    )
    link = LinkFactory(document__name="Pricing 2027", account_name="Vogel AG", owner_email=SAM)
    seen = visit(
        link=link,
        visitor_email="ADA@vogel.example",
        duration_seconds=250,
        percent_viewed=75.0,
        statistics_url="https://docs.example.com/stats/1",
    )

    run = run_cycle()

    (task,) = tasks()
    assert task["WhoId"] == contact_id
    assert task["WhatId"] is None
    assert task["Subject"] == "Viewed: Pricing 2027"
    assert task["Status"] == "Completed"
    assert task["ActivityDate"] == seen.started_at.date()
    assert task["OwnerId"] == SAM_ID
    assert task["CRMBridge_Id__c"] == f"visit-{seen.pk}"
    assert task["Description"].splitlines() == [
        "Document: Pricing 2027",
        "Account: Vogel AG",
        "Duration: 4 min 10 s",
        "Viewed: 75%",
        "Statistics: https://docs.example.com/stats/1",
        "Visitor: ADA@vogel.example",
    ]
    seen.refresh_from_db()
    assert seen.salesforce_id == task["Id"]
    assert seen.salesforce_who_id == contact_id
    assert seen.matched_by == MatchMethod.CONTACT_EMAIL
    assert run.counts["Task"]["created"] == 1


def test_a_lead_gets_the_task_without_an_account(task_settings, emulator, tasks):
    lead_id = emulator.store.insert(
        "Lead", {"LastName": "Kim", "Company": "Kim GmbH", "Email": "kim@kim.example"}
    )
    emulator.store.insert("Account", {"Name": "Kim GmbH"})
    visit(visitor_email="kim@kim.example", company="Kim GmbH")

    run_cycle()

    (task,) = tasks()
    assert task["WhoId"] == lead_id
    assert task["WhatId"] is None  # Salesforce refuses a Lead's Task with an Account


def test_a_contact_outranks_a_lead_and_the_local_link_is_used_first(
    task_settings, emulator, tasks, make_contact
):
    emulator.store.insert("Lead", {"LastName": "Both", "Company": "X", "Email": "b@x.example"})
    contact_id = emulator.store.insert("Contact", {"LastName": "Both", "Email": "b@x.example"})
    visit(visitor_email="b@x.example")

    run_cycle()

    assert tasks()[0]["WhoId"] == contact_id


def test_no_email_match_puts_the_task_on_the_account_named_like_the_company(
    task_settings, emulator, tasks
):
    account_id = emulator.store.insert("Account", {"Name": "Globex Corporation"})
    seen = visit(visitor_email="new@globex.example", company="globex corporation")

    run_cycle()

    (task,) = tasks()
    assert task["WhatId"] == account_id
    assert task["WhoId"] is None
    seen.refresh_from_db()
    assert seen.matched_by == MatchMethod.ACCOUNT_NAME


def test_unmatched_visits_wait_and_are_replayed_when_a_contact_appears(
    task_settings, emulator, tasks
):
    seen = visit(visitor_email="later@initech.example", company="Initech")

    run_cycle()

    assert tasks() == []
    seen.refresh_from_db()
    assert seen.unresolved_since is not None
    (waiting,) = SyncEvent.objects.filter(object_id=seen.pk, content_type__model="visit")
    assert waiting.error_message.startswith(
        "Waiting for a match: Salesforce has no Contact or Lead with the email "
        "later@initech.example and no Account named “Initech”. It is written automatically"
    )

    run_cycle()  # still nothing: no second "waiting" event
    assert SyncEvent.objects.filter(object_id=seen.pk, content_type__model="visit").count() == 1

    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Later", "Email": "later@initech.example"}
    )
    run_cycle()

    (task,) = tasks()
    assert task["WhoId"] == contact_id
    seen.refresh_from_db()
    assert seen.unresolved_since is None
    assert seen.salesforce_id == task["Id"]


def test_unmatched_emails_become_new_leads_when_asked(task_settings, emulator, tasks):
    task_settings.unmatched_create_leads = True
    task_settings.save()
    visit(visitor_email="fresh@nowhere.example", visitor_name="Fay Fresh", company="")
    visit(visitor_email="FRESH@nowhere.example", visitor_name="Fay Fresh", company="")

    run_cycle()

    (lead,) = emulator.store.all("Lead")
    assert (lead["FirstName"], lead["LastName"]) == ("Fay", "Fresh")
    assert lead["Company"] == "[not provided]"
    assert [task["WhoId"] for task in tasks()] == [lead["Id"], lead["Id"]]
    assert set(Visit.objects.values_list("matched_by", flat=True)) == {MatchMethod.CREATED_LEAD}


def test_unmatched_visits_become_open_tasks_for_the_link_owner_when_asked(
    task_settings, emulator, tasks
):
    task_settings.unmatched_create_open_tasks = True
    task_settings.save()
    link = LinkFactory(document__name="Deck", owner_email=SAM)
    visit(link=link, visitor_email="nobody@nowhere.example", company="Nowhere Inc")

    run_cycle()

    (task,) = tasks()
    assert task["Status"] == "Not Started"
    assert task["OwnerId"] == SAM_ID
    assert task["Subject"] == "Follow up: nobody@nowhere.example viewed Deck"
    assert task["WhoId"] is None
    assert task["WhatId"] is None


def test_an_owner_without_a_salesforce_user_is_written_with_the_integration_user(
    task_settings, emulator, tasks
):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    link = LinkFactory(owner_email="not-in-salesforce@example.com")
    seen = visit(link=link, visitor_email="ada@vogel.example")

    run_cycle()

    (task,) = tasks()
    assert task["OwnerId"] == emulator.integration_user_id
    (event,) = SyncEvent.objects.filter(object_id=seen.pk, content_type__model="visit")
    assert "not-in-salesforce@example.com has no active Salesforce user" in event.error_message


def test_a_task_deleted_in_salesforce_is_not_written_again(task_settings, emulator, tasks):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    seen = visit(visitor_email="ada@vogel.example")
    run_cycle()
    emulator.store.delete("Task", tasks()[0]["Id"])
    Visit.objects.filter(pk=seen.pk).update(duration_seconds=999, ended=True,
                                            local_modified_at=timezone.now())  # fmt: skip

    run_cycle()
    run_cycle()

    assert tasks() == []
    seen.refresh_from_db()
    assert seen.deleted_in_salesforce
    deleted = SyncEvent.objects.get(content_type__model="visit", object_id=seen.pk,
                                    operation="delete")  # fmt: skip
    assert "deleted in Salesforce" in deleted.error_message


def test_visits_of_locally_known_contacts_ask_salesforce_for_no_person(
    task_settings, emulator, make_contact
):
    for number in range(20):
        email = f"known{number}@vogel.example"
        contact_id = emulator.store.insert("Contact", {"LastName": "K", "Email": email})
        make_contact(email, salesforce_id=contact_id, salesforce_object="Contact",
                     salesforce_synced_at=timezone.now())  # fmt: skip
        visit(visitor_email=email, link__account_name="")
    emulator.reset_stats()

    salesforce_activities_push()

    assert len(emulator.store.all("Task")) == 20
    # the owners' users (one query), the Task describe and one collection upsert
    assert emulator.api_calls == 3


def test_a_visit_matched_by_hand_is_written_on_that_record(task_settings, emulator, tasks,
                                                           admin_user):  # fmt: skip
    seen = visit(visitor_email="private@gmail.example", company="")
    run_cycle()
    seen.refresh_from_db()
    assert seen.unresolved_since is not None
    contact_id = emulator.store.insert(
        "Contact", {"LastName": "Real", "Email": "work@real.example"}
    )

    activity_match_manual(record=seen, salesforce_object="Contact", salesforce_id=contact_id,
                          user=admin_user)  # fmt: skip
    salesforce_activities_push()

    (task,) = tasks()
    assert task["WhoId"] == contact_id
    seen.refresh_from_db()
    assert seen.matched_by == MatchMethod.MANUAL


def test_mapped_custom_fields_take_the_details_numbers_as_numbers(task_settings, emulator,
                                                                   tasks):  # fmt: skip
    task_settings.activity_storage = "custom_fields"
    task_settings.activity_field_map = {"visits": {
        "duration_seconds": "Duration_Seconds__c", "percent_viewed": "Percent_Viewed__c",
        "statistics_url": "Statistics_URL__c", "document_name": "Document_Name__c",
    }}  # fmt: skip
    task_settings.save()
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    link = LinkFactory(document__name="Pricing", account_name="Vogel AG")
    visit(link=link, visitor_email="ada@vogel.example", duration_seconds=250,
          percent_viewed=62.5, statistics_url="https://docs.example.com/stats/9")  # fmt: skip

    run_cycle()

    (task,) = tasks()
    assert task["Duration_Seconds__c"] == 250
    assert task["Percent_Viewed__c"] == 62.5
    assert task["Statistics_URL__c"] == "https://docs.example.com/stats/9"
    assert task["Document_Name__c"] == "Pricing"
    # what the map leaves out stays in the Description
    assert task["Description"].splitlines() == ["Account: Vogel AG", "Visitor: ada@vogel.example"]


def test_a_value_too_long_for_its_custom_field_is_cut_or_kept_in_the_description(
    task_settings, emulator, tasks
):
    task_settings.activity_storage = "custom_fields"
    task_settings.activity_field_map = {
        "visits": {"statistics_url": "Statistics_URL__c"},  # url, 255 characters
        "links": {"visitors": "Account_Name__c"},  # text, 255 characters
    }
    task_settings.save()
    emulator.store.insert("Account", {"Name": "Vogel AG"})
    link = LinkFactory(account_name="Vogel AG")
    long_url = f"https://docs.example.com/stats/{'x' * 300}"
    for number in range(20):
        visit(link=link, visitor_email=f"visitor-number-{number}@vogel.example",
              visitor_name="", company="Vogel AG", statistics_url=long_url)  # fmt: skip

    run_cycle()

    visit_tasks = [task for task in tasks() if task["Subject"].startswith("Viewed")]
    assert visit_tasks[0]["Statistics_URL__c"] is None  # a URL is not cut: it would not work
    assert f"Statistics: {long_url}" in visit_tasks[0]["Description"]
    (link_task,) = [task for task in tasks() if task["Subject"].startswith("Link created")]
    assert len(link_task["Account_Name__c"]) == 255
    assert link_task["Account_Name__c"].startswith("visitor-number-0@vogel.example, ")


def test_a_visit_whose_known_contact_was_deleted_is_matched_again(
    task_settings, emulator, tasks, make_contact
):
    gone = emulator.store.insert("Contact", {"LastName": "Old", "Email": "ada@vogel.example"})
    make_contact("ada@vogel.example", salesforce_id=gone, salesforce_object="Contact",
                 salesforce_synced_at=timezone.now())  # fmt: skip
    emulator.store.delete("Contact", gone)  # the contact sync has not seen it yet
    new = emulator.store.insert("Contact", {"LastName": "New", "Email": "ada@vogel.example"})
    Contact.objects.filter(salesforce_id=gone).update(salesforce_id="")  # as the pull unlinks
    seen = visit(visitor_email="ada@vogel.example", link__account_name="")
    seen.salesforce_who_id, seen.matched_by = gone, MatchMethod.CONTACT_EMAIL
    seen.save()

    run_cycle()  # refused: the Contact is gone; the match is cleared
    refused = SyncEvent.objects.get(content_type__model="visit", object_id=seen.pk)
    assert refused.status == "error"
    run_cycle()  # matched again, to the Contact that has the email now

    seen.refresh_from_db()
    assert seen.salesforce_who_id == new
    assert tasks()[0]["WhoId"] == new
