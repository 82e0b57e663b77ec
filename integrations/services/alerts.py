"""Evaluating the alert conditions: open what holds, email the staff once, clear what is over.

`alerts_evaluate` runs at the end of every sync run and in the periodic sweep; after a
trigger delivery failed it evaluates only the trigger condition (`only=`), so a retry storm
of deliveries does not re-run every condition. It is safe with many workers at once: the
one-open-alert-per-key constraint lets one of them open an alert, and the email is sent by
whoever claims it first (for a while: a worker that died before sending leaves the claim to
run out). An open alert is left as it is (no second email) until its condition is over; an
email that could not be sent is tried again at the next evaluation.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from integrations.alerts.conditions import CONDITIONS, AlertContext, Condition, Holding
from integrations.models import Alert

logger = logging.getLogger(__name__)

# How long a claimed email waits for its worker: far longer than sending takes.
EMAIL_CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class AlertsEvaluated:
    """What one evaluation changed."""

    opened: list[Alert]
    cleared: int
    emailed: int


def alerts_evaluate(*, only: Sequence[Condition] = CONDITIONS) -> AlertsEvaluated:
    """Open the alerts whose conditions hold, clear the others, email what is new.

    With `only`, just those conditions are evaluated, and only their alerts may clear.
    """
    context = AlertContext.load()
    holding = {item.key: item for condition in only for item in condition(context)}
    evaluated = Alert.objects.open()
    if only is not CONDITIONS:
        evaluated = evaluated.filter(_keys_of(only))
    cleared = evaluated.exclude(key__in=holding).update(cleared_at=context.now)
    already_open = set(Alert.objects.open().values_list("key", flat=True))
    new = [_alert_open(item) for key, item in holding.items() if key not in already_open]
    opened = [alert for alert in new if alert is not None]
    for alert in opened:
        logger.warning("Alert raised: %s (%s)", alert.title, alert.key)
    if cleared:
        logger.info("%d alert(s) cleared", cleared)
    return AlertsEvaluated(opened=opened, cleared=cleared, emailed=alerts_email_pending())


def alerts_evaluate_logged(*, only: Sequence[Condition] = CONDITIONS) -> None:
    """`alerts_evaluate` for callers whose own outcome must not depend on it (a sync run, a
    delivery): a failure is logged, never raised."""
    try:
        alerts_evaluate(only=only)
    except Exception:
        logger.exception("Could not evaluate the alerts")


def alerts_email_pending() -> int:
    """Email the staff about each open alert nobody was emailed about yet; how many sent."""
    recipients = staff_emails()
    if not recipients:
        return 0
    sent = 0
    for alert in Alert.objects.open().filter(emailed_at__isnull=True):
        sent += _alert_email(alert, recipients)
    return sent


def staff_emails() -> list[str]:
    """The addresses of the active staff users."""
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _keys_of(conditions: Sequence[Condition]) -> Q:
    """The alert keys of these conditions: the condition's name, alone or before ":"."""
    keys = Q(pk__in=[])
    for condition in conditions:
        name = condition.__name__
        keys |= Q(key=name) | Q(key__startswith=f"{name}:")
    return keys


def _alert_open(item: Holding) -> Alert | None:
    """A new open alert, or None when another worker opened it first."""
    try:
        with transaction.atomic():
            return Alert.objects.create(
                key=item.key, title=item.title, message=item.message, link=item.link,
                details=item.details,
            )  # fmt: skip
    except IntegrityError:
        return None


def _alert_email(alert: Alert, recipients: list[str]) -> int:
    """Claim the alert's email (one worker wins), send it, then mark it sent; 1 when sent.

    The claim is a lease: when its worker died before sending, a later evaluation sends the
    email once `EMAIL_CLAIM_LEASE` has passed.
    """
    now = timezone.now()
    unclaimed = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_CLAIM_LEASE)
    pending = Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True)
    if not pending.filter(unclaimed).update(email_claimed_at=now):
        return 0
    try:
        send_mail(
            subject=f"CRM Bridge alert: {alert.title}",
            message=alert_email_text(alert),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # the next evaluation tries again
        pending.update(email_claimed_at=None)
        logger.exception("Could not email the alert %s", alert.key)
        return 0
    pending.update(emailed_at=timezone.now())
    return 1


def alert_email_text(alert: Alert) -> str:
    """The email's body: the message and the absolute link to the page that explains it."""
    link = settings.SITE_URL.rstrip("/") + alert.link
    return (
        f"{alert.message}\n\n"
        f"What to do: {link}\n\n"
        "Every page of the CRM Bridge console shows this alert until its condition is over; "
        "then it clears itself.\n"
    )
