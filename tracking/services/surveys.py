"""Survey invitations and responses: the writes the trigger processing, the public response
page and the admin call.

`invitation_create` is idempotent by the invitation's `event_key` (one per recipient per
trigger per record event): a redelivered trigger finds the invitation it made before.
`invitation_throttled` is the per-address limit the trigger processing checks before it
creates one. `response_submit` stores the one response an invitation may get.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from tracking.models import Invitation, Response, Survey
from tracking.models.surveys import InvitationStatus
from tracking.signals import response_submitted


class InvitationAnsweredError(Exception):
    """The invitation has its response already: a survey is answered once."""


def invitation_create(
    *, survey: Survey, email: str, event_key: str, embedded_data: dict
) -> tuple[Invitation, bool]:
    """The invitation of this event (created when there is none yet), and whether it was
    created now."""
    existing = Invitation.objects.filter(event_key=event_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                survey=survey, email=email, event_key=event_key, embedded_data=embedded_data
            )
    except IntegrityError:  # a concurrent delivery of the same event made it first
        return Invitation.objects.get(event_key=event_key), False
    return invitation, True


def invitation_throttled(*, survey: Survey, email: str) -> bool:
    """Whether this address had an invitation of this survey within its `throttle_days`
    (addresses compared case-insensitively)."""
    if not survey.throttle_days:
        return False
    since = timezone.now() - timedelta(days=survey.throttle_days)
    return Invitation.objects.filter(
        survey=survey, email__iexact=email.strip(), created_at__gte=since
    ).exists()


def invitation_is_expired(*, invitation: Invitation) -> bool:
    return invitation.expires_at is not None and invitation.expires_at <= timezone.now()


def response_submit(*, invitation: Invitation, answers: dict) -> Response:
    """Store the invitation's response and mark it answered, in one transaction; the
    invitation's row is locked first, so of two submits at once only one passes (the other
    gets `InvitationAnsweredError`). `response_submitted` is sent once this has committed."""
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.status == InvitationStatus.ANSWERED:
                raise InvitationAnsweredError(str(locked))
            response = Response.objects.create(invitation=locked, answers=answers)
            locked.status = InvitationStatus.ANSWERED
            locked.save(update_fields=["status"])
            transaction.on_commit(
                lambda: response_submitted.send(sender=Response, response=response)
            )
    except IntegrityError as error:  # the one-to-one held where no row lock is (SQLite)
        raise InvitationAnsweredError(str(invitation)) from error
    invitation.status = InvitationStatus.ANSWERED
    return response
