"""Evaluating alerts: one open alert per key however many workers evaluate, one email per
alert to the active staff, and an email that failed is sent at the next evaluation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import Alert, SyncSettings
from integrations.services import alerts
from integrations.services.alerts import alerts_email_pending, alerts_evaluate, staff_emails
from integrations.tests.factories import AlertFactory, SyncRunFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_runs():
    """The last sync run failed, with the alert after one failed run."""
    settings = SyncSettings.load()
    settings.alert_failed_cycles = 1
    settings.save()
    return SyncRunFactory(status=RunStatus.FAILED, error="SERVER_UNAVAILABLE: down")


def test_one_open_alert_per_key_but_a_cleared_one_may_repeat():
    AlertFactory(key="auth", cleared_at=timezone.now())
    AlertFactory(key="auth")
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertFactory(key="auth")


def test_an_alert_another_worker_opened_meanwhile_is_not_opened_twice(
    failing_runs, admin_user, monkeypatch
):
    # given another worker opens the alert between our read of the open keys and our insert
    opened_elsewhere = []

    def read_then_race(self, *args, **kwargs):
        keys = original(self, *args, **kwargs)
        if not opened_elsewhere:
            opened_elsewhere.append(AlertFactory(key="cycles_failing", emailed_at=timezone.now()))
        return keys

    original = type(Alert.objects.open()).values_list
    monkeypatch.setattr(type(Alert.objects.open()), "values_list", read_then_race)
    # when
    outcome = alerts_evaluate()
    # then
    assert outcome.opened == []
    assert list(Alert.objects.all()) == opened_elsewhere
    assert mail.outbox == []


def test_an_alert_emailed_by_another_worker_is_not_emailed_again(admin_user):
    AlertFactory(emailed_at=timezone.now())
    assert alerts_email_pending() == 0
    assert mail.outbox == []


def test_an_email_that_failed_is_sent_at_the_next_evaluation(failing_runs, admin_user, monkeypatch):
    def refuse(**kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(alerts, "send_mail", refuse)
    alerts_evaluate()
    assert Alert.objects.get().emailed_at is None

    monkeypatch.undo()
    assert alerts_evaluate().emailed == 1
    assert Alert.objects.get().emailed_at is not None
    assert len(mail.outbox) == 1


def test_an_email_claimed_by_a_worker_that_died_is_sent_once_its_claim_ran_out(admin_user):
    # given an alert whose email a worker claimed, then died before sending it
    claimed = timezone.now() - timedelta(minutes=1)
    alert = AlertFactory(email_claimed_at=claimed)
    # when another worker evaluates while the claim lasts, it leaves the email to that worker
    assert alerts_email_pending() == 0
    # when the claim ran out
    Alert.objects.filter(pk=alert.pk).update(
        email_claimed_at=timezone.now() - alerts.EMAIL_CLAIM_LEASE - timedelta(seconds=1)
    )
    # then the email is sent, once
    assert alerts_email_pending() == 1
    assert alerts_email_pending() == 0
    assert [email.subject for email in mail.outbox] == [f"CRM Bridge alert: {alert.title}"]
    assert Alert.objects.get().emailed_at is not None


def test_without_staff_to_email_the_alert_waits_for_one(failing_runs):
    alerts_evaluate()
    assert (mail.outbox, Alert.objects.get().emailed_at) == ([], None)

    UserFactory(email="ops@example.com", is_staff=True)
    alerts_evaluate()
    assert mail.outbox[0].to == ["ops@example.com"]


def test_only_active_staff_with_an_email_get_alerts():
    UserFactory(email="ops@example.com", is_staff=True)
    UserFactory(email="gone@example.com", is_staff=True, is_active=False)
    UserFactory(email="seller@example.com")
    UserFactory(username="nomail", email="", is_staff=True)

    assert staff_emails() == ["ops@example.com"]
