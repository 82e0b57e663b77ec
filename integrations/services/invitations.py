"""Emailing survey invitations: the subject and body rendered with the invitation's embedded
data, sent through Django's email backend (EMAIL_URL), retried with a growing delay.

`invitation_send` never raises: a failed send marks the invitation failed with the reason
and, while attempts remain, schedules the next try (INVITATION_RETRY_SECONDS doubling up to
INVITATION_RETRY_MAX, at most INVITATION_MAX_ATTEMPTS sends). The invitation's row is locked
while it is sent, so a task delivered twice sends one email.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from integrations import conf
from tracking.models import Invitation
from tracking.models.surveys import InvitationStatus
from tracking.placeholders import placeholders_render
from tracking.views.surveys import survey_url

logger = logging.getLogger(__name__)

SEND_TASK = "integrations.tasks.invitation_send_task"
SENDABLE = {InvitationStatus.QUEUED, InvitationStatus.FAILED}


def invitation_send_enqueue(*, invitation: Invitation, delay_minutes: float = 0) -> None:
    """Hand the invitation's email to the task cluster once the transaction commits (after
    `delay_minutes`: a one-off schedule)."""
    _enqueue(invitation, delay_seconds=delay_minutes * 60)


def _enqueue(invitation: Invitation, *, delay_seconds: float) -> None:
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    if delay_seconds:
        when = timezone.now() + timedelta(seconds=delay_seconds)
        transaction.on_commit(
            lambda: schedule(
                SEND_TASK,
                invitation_id=invitation.pk,
                name=f"invitation {invitation.pk} send {invitation.attempts + 1}",
                schedule_type=Schedule.ONCE,
                next_run=when,
            )
        )
    else:
        transaction.on_commit(lambda: async_task(SEND_TASK, invitation_id=invitation.pk))


def invitation_message(*, invitation: Invitation) -> tuple[str, str]:
    """The invitation's subject and body: its survey's templates filled with the embedded
    data, the recipient's `{email}` and the `{survey_url}`; unknown names render empty."""
    values = {
        **invitation.embedded_data,
        "email": invitation.email,
        "survey_url": survey_url(token=invitation.token),
    }
    survey = invitation.survey
    subject = placeholders_render(survey.email_subject, values)
    subject = " ".join(subject.split())  # a header holds no line breaks
    return subject, placeholders_render(survey.email_body, values)


def invitation_send(*, invitation: Invitation) -> Invitation:
    """Send the invitation's email once: sent (with `sent_at`), or failed with the reason
    and a retry scheduled while attempts remain. Sent or answered invitations are left as
    they are."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        )
        if invitation.status not in SENDABLE:
            return invitation
        invitation.attempts += 1
        try:
            subject, body = invitation_message(invitation=invitation)
            send_mail(subject, body, None, [invitation.email])
        except Exception as error:  # any backend failure: SMTP, network, bad header
            _failed(invitation, error)
        else:
            invitation.status, invitation.error = InvitationStatus.SENT, ""
            invitation.sent_at = timezone.now()
        invitation.save(update_fields=["status", "error", "attempts", "sent_at"])
    return invitation


def _failed(invitation: Invitation, error: Exception) -> None:
    reason = f"{type(error).__name__}: {error}"
    logger.warning("Invitation %s not sent (attempt %s): %s", invitation.pk,
                   invitation.attempts, reason)  # fmt: skip
    invitation.status = InvitationStatus.FAILED
    if invitation.attempts >= conf.get("INVITATION_MAX_ATTEMPTS"):
        invitation.error = f"Gave up after {invitation.attempts} attempts. {reason}"
        return
    delay = conf.get("INVITATION_RETRY_SECONDS") * 2 ** (invitation.attempts - 1)
    invitation.error = f"{reason} (attempt {invitation.attempts}; trying again)"
    _enqueue(invitation, delay_seconds=min(delay, conf.get("INVITATION_RETRY_MAX")))


def invitations_resume() -> int:
    """Enqueue the sends a lost task left behind: invitations still queued an hour after they
    were made (a trigger's delay comes before the invitation exists); how many. A send
    delivered twice sends once (`invitation_send` locks the row and skips what went out)."""
    quiet_since = timezone.now() - timedelta(seconds=conf.get("INVITATION_RETRY_MAX"))
    lost = Invitation.objects.filter(status=InvitationStatus.QUEUED, created_at__lt=quiet_since)
    count = 0
    for invitation in lost.only("pk").iterator():
        _enqueue(invitation, delay_seconds=0)
        count += 1
    return count
