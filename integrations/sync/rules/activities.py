"""Which tracked records the settings send to Salesforce: one answer for the activity
handlers (what they push) and for the history page (what it calls "not sent").

Everything needs task sync. Visits need `sync_visits`; document links `sync_links`, room
links `sync_rooms`. A sales user's activity is written back when `write_back` is on and its
kind is selected in `write_back_items`, or it is marked "Copy to CRM", and its author (the
local user) holds a seat that syncs: every seat with "auto-sync all seat holders", else the
seats with CRM sync on. `write_back_q` is the one place that decides it.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

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
    """The activities written back: a selected kind or marked "Copy to CRM", by an author
    whose seat syncs."""
    if not settings.write_back:
        return NOTHING
    return _chosen_q(settings) & _author_seat_syncs_q(settings)


def _chosen_q(settings) -> Q:
    return Q(kind__in=list(settings.write_back_items or [])) | Q(copy_to_crm=True)


def _author_seat_syncs_q(settings) -> Q:
    """The author holds a seat, and it syncs (`Seat.syncs` as a database filter)."""
    if settings.auto_sync_seat_holders:
        return Q(author__seat__isnull=False)
    return Q(author__seat__crm_sync=True)


def off_reasons(settings, model: type[Model], rows: QuerySet) -> dict[int, NotSentReason]:
    """Why each of `rows` (records of `model` that `sent_q` leaves out) is not sent, by pk."""
    pks = list(rows.values_list("pk", flat=True))
    if not settings.task_sync:
        return dict.fromkeys(pks, NotSentReason.TASK_SYNC_OFF)
    if model is not Activity:
        return dict.fromkeys(pks, NotSentReason.KIND_OFF)
    reasons = dict.fromkeys(pks, NotSentReason.WRITE_BACK_OFF)
    if settings.write_back:
        chosen = rows.filter(_chosen_q(settings)).values_list("pk", flat=True)
        reasons.update(dict.fromkeys(chosen, NotSentReason.NO_SEAT))
    return reasons
