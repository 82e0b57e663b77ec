"""Writing survey responses to Salesforce: each operation on standard and custom objects,
conditions, idempotent retries that never block another response."""

from __future__ import annotations

import django_q.tasks
import pytest

from integrations.choices import EventStatus, Operation, RuleOperator
from integrations.models.response_mappings import ConditionSource, ValueSource
from integrations.tasks import response_mapping_task
from integrations.tests.services.response_data import response_create, rule_create, survey_create
from tracking.models import SyncEvent
from tracking.signals import response_submitted

ANSWER, EMBEDDED, CONSTANT = ValueSource.ANSWER, ValueSource.EMBEDDED, ValueSource.CONSTANT


@pytest.fixture
def queue(monkeypatch):
    """The tasks the mapping hands to django-q2: (function, args, options), run by hand."""
    queued: list[tuple[str, tuple, dict]] = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda f, *a, **o: queued.append((f, a, o)))
    monkeypatch.setattr(django_q.tasks, "schedule", lambda f, *a, **o: queued.append((f, a, o)))
    return queued


@pytest.fixture
def run_queued(queue, django_capture_on_commit_callbacks):
    """Run the mapping tasks queued so far (not those they queue); each one's failures."""

    def run() -> list[int]:
        due, queue[:] = list(queue), []
        failures = []
        for function, args, _options in due:
            assert function == "integrations.tasks.response_mapping_task"
            with django_capture_on_commit_callbacks(execute=True):
                failures.append(response_mapping_task(*args))
        return failures

    return run


@pytest.fixture
def submit(run_queued, django_capture_on_commit_callbacks):
    """Send `response_submitted` as the response page does, then run the queued task."""

    def send(response):
        with django_capture_on_commit_callbacks(execute=True):
            response_submitted.send(sender=type(response), response=response)
        return run_queued()

    return send


@pytest.fixture
def survey(db):
    return survey_create()


@pytest.fixture
def case(emulator):
    contact_id = emulator.store.insert("Contact", {"LastName": "Kundin", "Email": "k@example.com"})
    case_id = emulator.store.insert("Case", {"Subject": "Printer", "ContactId": contact_id})
    return {"Case.Id": case_id, "Case.ContactId": contact_id}


def events(response):
    return list(SyncEvent.objects.filter(object_id=response.pk).order_by("pk"))


def test_insert_survey_response_with_nps_and_lookups(connection, emulator, survey, case, submit):
    # given
    rule_create(survey, "insert", "Survey_Response__c", fields=[
        ("NPS__c", ANSWER, "nps"), ("Comment__c", ANSWER, "comment"),
        ("Case__c", EMBEDDED, "Case.Id"), ("Contact__c", EMBEDDED, "Case.ContactId"),
    ])  # fmt: skip
    response = response_create(survey, answers={"nps": 9, "comment": "Schnell"}, embedded=case)

    # when
    assert submit(response) == [0]

    # then
    (row,) = emulator.store.all("Survey_Response__c")
    assert (row["NPS__c"], row["Comment__c"]) == (9, "Schnell")
    assert (row["Case__c"], row["Contact__c"]) == (case["Case.Id"], case["Case.ContactId"])
    (event,) = events(response)
    assert (event.operation, event.salesforce_id) == (Operation.CREATE, row["Id"])
    assert {"salesforce_field": "NPS__c", "new": 9} in event.changes
    response.refresh_from_db()
    assert list(response.sync_values["rules"].values()) == [row["Id"]]


def test_embedded_data_may_be_nested(connection, emulator, survey, case, submit):
    rule_create(survey, "insert", "Survey_Response__c", fields=[("Case__c", EMBEDDED, "Case.Id")])
    nested = {"Case": {"Id": case["Case.Id"]}}

    submit(response_create(survey, answers={}, embedded=nested))

    assert emulator.store.all("Survey_Response__c")[0]["Case__c"] == case["Case.Id"]


def test_update_the_case_from_embedded_id(connection, emulator, survey, case, submit):
    rule_create(survey, "update", "Case", record_id_key="Case.Id", fields=[
        ("Status", CONSTANT, "Closed"), ("Description", ANSWER, "comment"),
    ])  # fmt: skip
    response = response_create(survey, answers={"comment": "Alles gut"}, embedded=case)

    submit(response)

    updated = emulator.store.get("Case", case["Case.Id"])
    assert (updated["Status"], updated["IsClosed"], updated["Description"]) == (
        "Closed", True, "Alles gut",
    )  # fmt: skip
    (event,) = events(response)
    assert (event.operation, event.salesforce_object) == (Operation.UPDATE, "Case")


def test_upsert_by_external_id_writes_one_record_per_response(connection, emulator, survey, submit):
    rule_create(
        survey, "upsert", "Survey_Response__c", external_id_field="Response_Id__c",
        external_id_source=ValueSource.RESPONSE_ID, fields=[("Rating__c", ANSWER, "rating")],
    )  # fmt: skip
    response = response_create(survey, answers={"rating": 4})
    submit(response)
    # A rule added later (or an admin's re-run) upserts the same record, not a second one.
    response.sync_values = {}
    response.save()
    response.answers = {"rating": 5}
    response.save()
    submit(response)

    (row,) = emulator.store.all("Survey_Response__c")
    assert row["Rating__c"] == 5
    assert row["Response_Id__c"] == f"crmbridge-response-{response.pk}"
    assert [event.operation for event in events(response)] == [Operation.CREATE, Operation.UPDATE]


def test_delete_a_record_named_in_embedded_data(connection, emulator, survey, case, submit):
    rule_create(survey, "delete", "Case", record_id_key="Case.Id")

    submit(response_create(survey, answers={}, embedded=case))

    assert emulator.store.all("Case") == []  # in the recycle bin


def test_update_without_the_id_in_embedded_data_says_so(connection, emulator, survey, submit):
    rule_create(survey, "update", "Case", record_id_key="Case.Id", fields=[
        ("Status", CONSTANT, "Closed"),
    ])  # fmt: skip
    response = response_create(survey, answers={}, embedded={})

    assert submit(response) == [0]  # nothing to retry: the id will not appear later

    (event,) = events(response)
    assert event.status == EventStatus.ERROR
    assert "Case.Id" in event.error_message


@pytest.mark.parametrize(
    ("answers", "written"),
    [
        ({"nps": 3, "reason": "Price"}, True),  # all of group 1, any of group 2
        ({"nps": 3, "reason": "Service", "comment": "slow"}, True),
        ({"nps": 3, "reason": "Service"}, False),  # group 2 fails
        ({"nps": 9, "reason": "Price"}, False),  # group 1 fails
        ({"reason": "Price"}, False),
    ],
)
def test_rule_runs_when_every_condition_group_holds(
    connection, emulator, survey, case, submit, answers, written
):
    detractor = [
        (ConditionSource.ANSWER, "nps", RuleOperator.IN, "0,1,2,3,4,5,6"),
        (ConditionSource.EMBEDDED, "Case.Id", RuleOperator.IS_SET, ""),
    ]
    why = [
        (ConditionSource.ANSWER, "reason", RuleOperator.EQUALS, "price"),
        (ConditionSource.ANSWER, "comment", RuleOperator.IS_SET, ""),
    ]
    rule_create(survey, "insert", "Survey_Response__c", fields=[("NPS__c", ANSWER, "nps")],
                groups=[("all", detractor), ("any", why)])  # fmt: skip

    submit(response_create(survey, answers=answers, embedded=case))

    assert len(emulator.store.all("Survey_Response__c")) == (1 if written else 0)


def test_multiple_choice_goes_to_text_as_a_multi_select(connection, emulator, survey, submit):
    email_chosen = (ConditionSource.ANSWER, "channels", RuleOperator.EQUALS, "email")
    rule_create(survey, "insert", "Survey_Response__c", fields=[
        ("Comment__c", ANSWER, "channels"),
    ], groups=[("all", [email_chosen])])  # fmt: skip

    submit(response_create(survey, answers={"channels": ["Phone", "Email"]}))

    assert emulator.store.all("Survey_Response__c")[0]["Comment__c"] == "Phone;Email"


def test_a_failed_write_is_retried_without_blocking_another_response(
    connection, emulator, survey, case, submit, queue, run_queued, settings
):
    # given: two rules; the Case update of the first response fails (the row stays locked
    # through the client's own lock retries)
    settings.SALESFORCE_MAX_ATTEMPTS = 2
    rule_create(survey, "insert", "Survey_Response__c", fields=[("NPS__c", ANSWER, "nps")])
    rule_create(survey, "update", "Case", record_id_key="Case.Id",
                fields=[("Status", CONSTANT, "Escalated")])  # fmt: skip
    first = response_create(survey, answers={"nps": 2}, embedded=case)
    second = response_create(survey, answers={"nps": 10}, embedded=case)
    emulator.faults.inject("lock", times=2, path_contains="composite/sobjects", method="PATCH")

    # when
    with_retry = submit(first)
    assert with_retry == [1]
    (retry,) = queue  # a one-off schedule, later
    assert retry[2]["next_run"] is not None
    queue.clear()
    assert submit(second) == [0]  # the other response is written meanwhile

    # then: the retry writes only what failed: no second insert
    queue.append(retry)
    assert run_queued() == [0]
    assert sorted(r["NPS__c"] for r in emulator.store.all("Survey_Response__c")) == [2, 10]
    assert emulator.store.get("Case", case["Case.Id"])["Status"] == "Escalated"
    first_events = events(first)
    assert [(e.salesforce_object, e.status) for e in first_events] == [
        ("Survey_Response__c", EventStatus.OK), ("Case", EventStatus.ERROR),
        ("Case", EventStatus.OK),
    ]  # fmt: skip
    assert first_events[1].error_code == "UNABLE_TO_LOCK_ROW"
    assert first_events[1].hint


def test_retries_are_bounded(
    connection, emulator, survey, case, submit, queue, run_queued, settings
):
    settings.SALESFORCE_RESPONSE_MAX_ATTEMPTS = 2
    settings.SALESFORCE_MAX_ATTEMPTS = 1
    rule_create(survey, "update", "Case", record_id_key="Case.Id",
                fields=[("Status", CONSTANT, "Escalated")])  # fmt: skip
    emulator.faults.inject("lock", times=5, path_contains="composite/sobjects", method="PATCH")
    response = response_create(survey, answers={}, embedded=case)

    assert submit(response) == [1]
    assert run_queued() == [1]

    assert queue == []  # given up after two attempts; the errors stay in the history
    assert [e.status for e in events(response)] == [EventStatus.ERROR] * 2


def test_a_salesforce_refusal_is_recorded_with_a_hint(connection, emulator, survey, submit):
    rule_create(survey, "insert", "Survey_Response__c", fields=[("NPS__c", CONSTANT, "150")])
    response = response_create(survey, answers={})

    submit(response)

    (event,) = events(response)
    assert (event.status, event.error_code) == (EventStatus.ERROR, "NUMBER_OUTSIDE_VALID_RANGE")
