"""When a visit's Task is written (DocSend's rule): as soon as the visit starts, then at most
every 10 minutes while it goes on, and once more when it ends. A visit shorter than 10
minutes is therefore written at most twice: when it starts and when it ends."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

RESYNC_EVERY = timedelta(minutes=10)


def visit_due_q(now: datetime) -> Q:
    """Visits whose changes may be written now (of those changed since their last write)."""
    return (
        Q(salesforce_synced_at__isnull=True)
        | Q(ended=True)
        | Q(salesforce_synced_at__lte=now - RESYNC_EVERY)
    )
