"""A crash between Salesforce's answer and our commit never creates a second Task or note:
the create was marked as attempted (and committed) before it was sent, and the next push
finds what it made before sending anything again."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from integrations.emulator.connect import emulator_connect
from integrations.sync import store
from integrations.sync.activities import writer
from integrations.tests.sync.activities.conftest import SAM, seat_holder
from integrations.tests.sync.helpers import run_cycle
from tracking.choices import ActivityKind
from tracking.models import Activity, SyncEvent, Visit
from tracking.tests.factories import ActivityFactory, VisitFactory

pytestmark = pytest.mark.django_db


class Crash(Exception):
    """The process dies here (the run's own commit never happens)."""


@pytest.fixture
def crash_after_salesforce_answers(monkeypatch):
    """The first write of visits' or activities' outcomes (after Salesforce answered)
    crashes."""
    real = store.update_rows
    state = {"armed": True}

    def update_rows(model, rows, fields):
        if state["armed"] and model in (Visit, Activity) and fields == writer.RECORD_FIELDS:
            state["armed"] = False
            raise Crash
        return real(model, rows, fields)

    monkeypatch.setattr(store, "update_rows", update_rows)
    return state


def test_a_crashed_visit_push_is_reconciled_by_the_external_id(
    task_settings, emulator, tasks, crash_after_salesforce_answers
):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    seen = VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now())

    with pytest.raises(Crash):
        run_cycle()
    seen.refresh_from_db()
    assert seen.salesforce_id == ""
    assert seen.salesforce_attempted_at is not None
    assert len(tasks()) == 1  # Salesforce has it; we do not know yet

    run_cycle()

    (task,) = tasks()
    seen.refresh_from_db()
    assert seen.salesforce_id == task["Id"]
    assert seen.salesforce_attempted_at is None
    found = SyncEvent.objects.get(content_type__model="visit", object_id=seen.pk,
                                  operation="match")  # fmt: skip
    assert "interrupted run" in found.error_message


def test_a_crashed_note_is_found_by_its_title_and_linked_once(
    task_settings, emulator, crash_after_salesforce_answers
):
    task_settings.write_back = True
    task_settings.save()
    contact_id = emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "a@v.example"})
    note = ActivityFactory(kind=ActivityKind.NOTE, contact_email="a@v.example",
                           author=seat_holder(SAM), author_email=SAM,
                           subject="Call notes", local_modified_at=timezone.now())  # fmt: skip

    with pytest.raises(Crash):
        run_cycle()
    run_cycle()

    (stored,) = emulator.store.all("ContentNote")
    links = [row for row in emulator.store.all("ContentDocumentLink")
             if row["LinkedEntityId"] == contact_id]  # fmt: skip
    assert len(links) == 1
    assert links[0]["ContentDocumentId"] == stored["Id"]
    note.refresh_from_db()
    assert note.salesforce_id == stored["Id"]
    assert Activity.objects.get(pk=note.pk).salesforce_synced_at is not None


def test_a_visit_refused_by_salesforce_keeps_its_error_and_waits_for_a_change(
    task_settings, emulator, tasks
):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    task_settings.activity_storage = "custom_fields"
    # a date field, saved past the settings check: Salesforce refuses a number there
    task_settings.activity_field_map = {"visits": {"percent_viewed": "Follow_Up_Date__c"}}
    task_settings.save()
    seen = VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now())

    run_cycle()

    seen.refresh_from_db()
    assert seen.salesforce_failed_at is not None
    error = SyncEvent.objects.get(content_type__model="visit", object_id=seen.pk)
    assert error.status == "error"
    assert error.error_code == "INVALID_TYPE_ON_FIELD_IN_RECORD"
    assert Visit.objects.get(pk=seen.pk).salesforce_id == ""
    assert tasks() == []


@pytest.fixture
def org_without_external_id(task_settings, emulator_without_task_external_id):
    """The product connected to an org that skipped the external-id set-up step."""
    org = emulator_without_task_external_id
    emulator_connect(url=org.url, credentials=org.credentials)
    cache.clear()  # the other org's describe(), under the same org id
    return org


def test_without_the_external_id_a_crashed_push_is_found_by_its_reference_line(
    org_without_external_id, crash_after_salesforce_answers
):
    org = org_without_external_id
    org.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    seen = VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now(),
                        link__account_name="")  # fmt: skip

    with pytest.raises(Crash):
        run_cycle()
    run_cycle()

    (task,) = org.store.all("Task")
    assert task["Description"].endswith(f"CRM Bridge reference: visit-{seen.pk}")
    seen.refresh_from_db()
    assert seen.salesforce_id == task["Id"]

    Visit.objects.filter(pk=seen.pk).update(duration_seconds=600, ended=True,
                                            local_modified_at=timezone.now())  # fmt: skip
    run_cycle()

    (task,) = org.store.all("Task")
    assert "Duration: 10 min 0 s" in task["Description"]
    assert task["Description"].endswith(f"CRM Bridge reference: visit-{seen.pk}")
