"""Survey invitations and responses: the writes the trigger processing, the public response
page and the admin call.

`invitation_create` is idempotent by the invitation's `event_key` (one per recipient per
trigger per record event): a redelivered trigger finds the invitation it made before.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tracking.models import Invitation, Survey


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
