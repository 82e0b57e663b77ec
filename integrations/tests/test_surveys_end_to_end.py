"""The survey chain of `make demo`, end to end: the emulated org's Outbound Message rule, a
Case closed through the API, the webhook (a live server) storing the delivery, its
processing, the invitation email, the answer on the survey page, and the mapping writing a
Survey_Response__c with its lookups back to the emulator."""

from __future__ import annotations

import importlib
import re
import time

import django_q.tasks
import pytest
from django.core import mail
from django.urls import reverse

from integrations.models import TriggerDelivery
from integrations.models.triggers import DeliveryStatus
from integrations.services.connection import salesforce_client
from integrations.services.demo_surveys import (
    OUTBOUND_FIELDS,
    NoOpenCaseError,
    demo_case_close,
    demo_survey_create,
)
from tracking.models import Invitation, SyncEvent
from tracking.models.surveys import InvitationStatus

pytestmark = pytest.mark.django_db(transaction=True)

Q_OPTIONS = {"timeout", "name", "schedule_type", "next_run"}


@pytest.fixture
def queue(monkeypatch):
    """Tasks handed to django-q2, kept to be run by `run_queued` as the cluster would."""
    queued: list[tuple[str, tuple, dict]] = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda f, *a, **o: queued.append((f, a, o)))
    monkeypatch.setattr(django_q.tasks, "schedule", lambda f, *a, **o: queued.append((f, a, o)))
    return queued


def run_queued(queue) -> list[str]:
    """Run the queued tasks (and those they queue) in order; their dotted names."""
    ran = []
    while queue:
        dotted, args, options = queue.pop(0)
        module, _, name = dotted.rpartition(".")
        kwargs = {key: value for key, value in options.items() if key not in Q_OPTIONS}
        getattr(importlib.import_module(module), name)(*args, **kwargs)
        ran.append(name)
    return ran


def wait_until(condition, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def outbound(emulator):
    messages = emulator.outbound_messages
    messages.first_retry, messages.max_retry = 0.05, 0.2
    yield messages
    messages.clear()
    messages.first_retry, messages.max_retry = 2.0, 60.0


def test_a_closed_case_becomes_a_survey_response_in_salesforce(
    live_server, connection, emulator, outbound, queue, client
):
    # given: a support Case of a Contact, the demo survey, and the org's Outbound Message rule
    contact_id = emulator.store.insert("Contact", {"LastName": "Kundin", "Email": "k@example.com"})
    case_id = emulator.store.insert("Case", {"Subject": "Drucker", "ContactId": contact_id})
    case_number = emulator.store.get("Case", case_id)["CaseNumber"]
    trigger = demo_survey_create()
    hook = live_server.url + reverse("webhooks:salesforce-trigger", kwargs={"key": trigger.key})
    emulator.add_outbound_message(endpoint_url=hook, fields=OUTBOUND_FIELDS)

    # when: an agent closes the Case through the API
    assert demo_case_close(client=salesforce_client()) == {"id": case_id,
                                                           "case_number": case_number}  # fmt: skip

    # then: the org delivers it, the trigger stores it and acknowledges
    wait_until(lambda: outbound.status()["delivered"])
    assert outbound.status()["delivered"][0]["attempts"] == 1
    delivery = TriggerDelivery.objects.get()
    assert delivery.kind == "outbound_message"
    assert delivery.record_ids == [case_id]

    # when: the cluster processes it and sends the invitation
    assert run_queued(queue) == ["trigger_delivery_process_task", "invitation_send_task"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSED
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SENT
    assert invitation.embedded_data["Id"] == case_id
    assert invitation.embedded_data["ContactId"] == contact_id
    (email,) = mail.outbox
    assert email.to == ["k@example.com"]
    assert case_number in email.subject
    path = re.search(r"https?://[^/\s]+(/s/[^/\s]+/)", email.body).group(1)
    assert path == reverse("surveys:page", args=[invitation.token])

    # when: the Contact answers on the survey page
    answered = client.post(path, {"nps": "9", "comment": "Quick and friendly"})
    assert answered.status_code == 302
    assert run_queued(queue) == ["response_mapping_task"]

    # then: the Survey_Response__c is in the org, linked to the Case and the Contact
    (written,) = emulator.store.all("Survey_Response__c")
    assert written["NPS__c"] == 9
    assert written["Comment__c"] == "Quick and friendly"
    assert written["Case__c"] == case_id
    assert written["Contact__c"] == contact_id
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    (event,) = SyncEvent.objects.filter(object_id=invitation.response.pk)
    assert (event.salesforce_object, event.salesforce_id) == ("Survey_Response__c", written["Id"])


def test_the_demo_set_up_is_made_once(db):
    first, again = demo_survey_create(), demo_survey_create()
    assert first == again
    survey = first.survey
    assert [q.key for q in survey.questions.order_by("position")] == ["nps", "comment"]
    assert survey.response_rules.count() == 1
    assert first.conditions.count() == 1


def test_closing_an_unknown_case_number_says_so(connection, emulator):
    with pytest.raises(NoOpenCaseError, match="Case 99999999 is not an open Case"):
        demo_case_close(client=salesforce_client(), case_number="99999999")
