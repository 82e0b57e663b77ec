"""Which tracked records the settings send to Salesforce: one answer for the activity
handlers (what they push) and for the history page (what it calls "not sent").

Everything needs task sync. Visits need `sync_visits`; document links `sync_links`, room
links `sync_rooms`. A sales user's activity is written back when `write_back` is on and its
kind is selected in `write_back_items`, or it is marked "Copy to CRM"; the seats issue adds
who may write back here, in `write_back_q`, the one place that decides it.
"""

from __future__ import annotations

from django.db.models import Model, Q

from tracking.choices import LinkKind, NotSentReason
from tracking.models import Activity, Link, Visit

NOTHING = Q(pk__in=[])


def sent_q(settings, model: type[Model]) -> Q:
    """The records of `model` the settings send (before matching)."""
    if not settings.task_sync:
        return NOTHING
    if model is Visit:
        return Q() if settings.sync_visits else NOTHING
    if model is Link:
        kinds = [kind for kind, on in ((LinkKind.DOCUMENT, settings.sync_links),
                                       (LinkKind.ROOM, settings.sync_rooms)) if on]  # fmt: skip
        return Q(kind__in=kinds)
    if model is Activity:
        return write_back_q(settings)
    return NOTHING


def write_back_q(settings) -> Q:
    """The activities written back: a selected kind, or marked "Copy to CRM"."""
    if not settings.write_back:
        return NOTHING
    return Q(kind__in=list(settings.write_back_items or [])) | Q(copy_to_crm=True)


def off_reason(settings, model: type[Model]) -> NotSentReason:
    """Why a record of `model` that `sent_q` leaves out is not sent."""
    if not settings.task_sync:
        return NotSentReason.TASK_SYNC_OFF
    return NotSentReason.WRITE_BACK_OFF if model is Activity else NotSentReason.KIND_OFF
