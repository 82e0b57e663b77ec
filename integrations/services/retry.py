"""Retrying records whose sync failed."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from integrations.choices import EventStatus, RunTrigger
from integrations.models import SyncRun
from integrations.services.sync import salesforce_sync_enqueue
from tracking.models import SyncEvent


@transaction.atomic
def sync_events_retry(*, events) -> SyncRun | None:
    """Send the failed events' records again in a new run; mark the events retried."""
    failed = [event for event in events if event.status == EventStatus.ERROR]
    if not failed:
        return None
    by_model = defaultdict(set)
    for event in failed:
        by_model[event.content_type.model_class()].add(event.object_id)
    for model, ids in by_model.items():
        if hasattr(model, "local_modified_at"):
            now = timezone.now()
            model.objects.filter(pk__in=ids).update(local_modified_at=now, updated_at=now)
    SyncEvent.objects.filter(pk__in=[event.pk for event in failed]).update(
        status=EventStatus.RETRIED
    )
    return salesforce_sync_enqueue(trigger=RunTrigger.MANUAL)


@transaction.atomic
def sync_error_group_retry(
    *, error_code: str, salesforce_object: str
) -> tuple[int, SyncRun | None]:
    """Send every record failing with this code on this object again ("retry all" of a group).

    Returns how many records that is, and the run that sends them (None when none failed).
    """
    events = list(
        SyncEvent.objects.filter(
            status=EventStatus.ERROR, error_code=error_code, salesforce_object=salesforce_object
        ).select_related("content_type")
    )
    records = {(event.content_type_id, event.object_id) for event in events}
    return len(records), sync_events_retry(events=events)
