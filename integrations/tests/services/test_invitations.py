"""Emailing survey invitations: the rendered email, sent once, failures retried with a
growing delay a bounded number of times; and the per-address throttle check."""

from __future__ import annotations

from datetime import timedelta

import django_q.tasks
import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_q.models import Schedule

from integrations.services.invitations import (
    SEND_TASK,
    invitation_send,
    invitation_send_enqueue,
    invitations_resume,
)
from integrations.tasks import invitation_send_task
from tracking.models.surveys import InvitationStatus
from tracking.services.surveys import invitation_throttled
from tracking.tests.factories import InvitationFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_smtp(settings):
    """The real SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


@pytest.fixture
def invitation(settings):
    settings.SITE_URL = "https://crm.example.com/"
    survey = SurveyFactory(
        email_subject="How did we do on {Case.CaseNumber},\n{Contact.FirstName}?",
        email_body=(
            "Hello {Contact.FirstName} {Contact.LastName},\n"
            "answer here: {survey_url}\nSent to {email}. {{not a placeholder}}"
        ),
    )
    return InvitationFactory(
        survey=survey,
        email="ada@example.com",
        embedded_data={"Contact.FirstName": "Ada", "Case": {"CaseNumber": "00001026"}},
    )


def test_the_email_is_rendered_from_the_embedded_data_and_sent(invitation):
    sent = invitation_send(invitation=invitation)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "How did we do on 00001026, Ada?"
    assert message.body == (
        "Hello Ada ,\n"
        f"answer here: https://crm.example.com/s/{invitation.token}/\n"
        "Sent to ada@example.com. {not a placeholder}"
    )
    assert sent.status == InvitationStatus.SENT
    assert sent.sent_at is not None
    assert (sent.attempts, sent.error) == (1, "")


def test_a_sent_or_answered_invitation_is_not_sent_again(invitation):
    invitation_send(invitation=invitation)
    assert invitation_send_task(invitation.pk) == InvitationStatus.SENT
    answered = InvitationFactory(status=InvitationStatus.ANSWERED)
    assert invitation_send(invitation=answered).status == InvitationStatus.ANSWERED
    assert len(mail.outbox) == 1


def test_a_failed_send_is_marked_failed_and_retried_later_with_a_growing_delay(
    invitation, unreachable_smtp, django_capture_on_commit_callbacks, settings
):
    settings.SALESFORCE_INVITATION_RETRY_SECONDS = 60
    # when
    with django_capture_on_commit_callbacks(execute=True):
        failed = invitation_send(invitation=invitation)
    # then
    assert failed.status == InvitationStatus.FAILED
    assert "ConnectionRefusedError" in failed.error
    assert "trying again" in failed.error
    retry = Schedule.objects.get(func=SEND_TASK)
    assert retry.schedule_type == Schedule.ONCE
    assert retry.kwargs == f"{{'invitation_id': {invitation.pk}}}"
    assert timedelta(seconds=55) < retry.next_run - timezone.now() <= timedelta(seconds=60)
    # when: the retry fails too, the next waits twice as long
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send_task(invitation.pk)
    later = Schedule.objects.filter(func=SEND_TASK).order_by("-next_run").first()
    assert timedelta(seconds=115) < later.next_run - timezone.now() <= timedelta(seconds=120)


def test_a_retry_that_gets_through_marks_the_invitation_sent(
    invitation, unreachable_smtp, settings
):
    assert invitation_send(invitation=invitation).status == InvitationStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = invitation_send(invitation=invitation)
    assert (sent.status, sent.error, sent.attempts) == (InvitationStatus.SENT, "", 2)
    assert len(mail.outbox) == 1


def test_sending_gives_up_after_the_last_attempt(
    invitation, unreachable_smtp, django_capture_on_commit_callbacks, settings
):
    settings.SALESFORCE_INVITATION_MAX_ATTEMPTS = 2
    invitation.status, invitation.attempts = InvitationStatus.FAILED, 1
    invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        failed = invitation_send(invitation=invitation)
    assert failed.status == InvitationStatus.FAILED
    assert failed.error.startswith("Gave up after 2 attempts. ConnectionRefusedError")
    assert not Schedule.objects.filter(func=SEND_TASK).exists()


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks handed to the task cluster (whichever broker runs: ORM or Redis)."""
    calls = []
    monkeypatch.setattr(
        django_q.tasks, "async_task", lambda func, **kwargs: calls.append((func, kwargs))
    )
    return calls


def test_enqueue_sends_on_commit_now_or_after_the_delay(
    invitation, django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation_send_enqueue(invitation=invitation)
        invitation_send_enqueue(invitation=invitation, delay_minutes=15)
        assert enqueued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert enqueued == [(SEND_TASK, {"invitation_id": invitation.pk})]
    delayed = Schedule.objects.get(func=SEND_TASK)
    assert timedelta(minutes=14) < delayed.next_run - timezone.now() <= timedelta(minutes=15)


def test_the_task_of_a_deleted_invitation_does_nothing():
    assert invitation_send_task(999_999) == "missing"


def test_throttled_when_the_address_had_this_survey_within_its_days():
    survey = SurveyFactory(throttle_days=30)
    with time_machine.travel(timezone.now() - timedelta(days=29)):
        InvitationFactory(survey=survey, email="Ada@Example.com")
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        InvitationFactory(survey=survey, email="old@example.com")
    assert invitation_throttled(survey=survey, email="ada@example.COM")
    assert not invitation_throttled(survey=survey, email="old@example.com")
    assert not invitation_throttled(survey=survey, email="grace@example.com")
    assert not invitation_throttled(survey=SurveyFactory(), email="ada@example.com")
    survey.throttle_days = 0
    assert not invitation_throttled(survey=survey, email="ada@example.com")


def test_the_sweep_resends_invitations_a_lost_task_left_queued(
    enqueued, django_capture_on_commit_callbacks
):
    lost = InvitationFactory()
    InvitationFactory(status=InvitationStatus.SENT)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        InvitationFactory()  # just made: its own task is still on the way

        with django_capture_on_commit_callbacks(execute=True):
            assert invitations_resume() == 1

    assert enqueued == [(SEND_TASK, {"invitation_id": lost.pk})]
