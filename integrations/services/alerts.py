"""Evaluating the alert conditions: open what holds, email the staff once, clear what is over.

`alerts_evaluate` runs at the end of every sync run, in the periodic sweep and after a
trigger delivery failed. It is safe with many workers at once: the one-open-alert-per-key
constraint lets one of them open an alert, and the email is sent by whoever claims its
`emailed_at` first. An open alert is left as it is (no second email) until its condition is
over; an email that could not be sent is tried again at the next evaluation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.alerts.conditions import CONDITIONS, AlertContext, Holding
from integrations.models import Alert

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertsEvaluated:
    """What one evaluation changed."""

    opened: list[Alert]
    cleared: int
    emailed: int


def alerts_evaluate() -> AlertsEvaluated:
    """Open the alerts whose conditions hold, clear the others, email what is new."""
    context = AlertContext.load()
    holding = {item.key: item for condition in CONDITIONS for item in condition(context)}
    cleared = Alert.objects.open().exclude(key__in=holding).update(cleared_at=context.now)
    already_open = set(Alert.objects.open().values_list("key", flat=True))
    new = [_alert_open(item) for key, item in holding.items() if key not in already_open]
    opened = [alert for alert in new if alert is not None]
    for alert in opened:
        logger.warning("Alert raised: %s (%s)", alert.title, alert.key)
    if cleared:
        logger.info("%d alert(s) cleared", cleared)
    return AlertsEvaluated(opened=opened, cleared=cleared, emailed=alerts_email_pending())


def alerts_evaluate_logged() -> None:
    """`alerts_evaluate` for callers whose own outcome must not depend on it (a sync run, a
    delivery): a failure is logged, never raised."""
    try:
        alerts_evaluate()
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
    """Claim the alert's email (one worker wins), then send it; 1 when sent."""
    claimed = Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    try:
        send_mail(
            subject=f"CRM Bridge alert: {alert.title}",
            message=alert_email_text(alert),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # the next evaluation tries again
        Alert.objects.filter(pk=alert.pk).update(emailed_at=None)
        logger.exception("Could not email the alert %s", alert.key)
        return 0
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
