"""Purging imported CRM data: what came from Salesforce is deleted, what was created here is
kept and unlinked (its Salesforce ids and sync state cleared).

The purge walks each kind of record in batches, keyset by pk (`PURGE_BATCH_SIZE` ids at a
time, never the records themselves), so 100,000 imported contacts take constant memory; a
deleted record's history rows (SyncEvent, by content type + id) go with its batch. Each
batch moves the purge's progress bar. It holds both sync leases while it works, so no sync
run writes alongside it; a purge that finds a sync running waits for it (the task tries again
later). Every step is safe to run twice: a purge a lost task left is simply run again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from integrations import conf
from integrations.choices import PurgeStatus
from integrations.models import CrmDataPurge, SyncCursor
from integrations.sync.lease import (
    ACTIVITIES,
    NAME,
    LeaseLostError,
    lease_acquire,
    lease_holder_name,
    lease_release,
    lease_renew,
)
from tracking.choices import Origin
from tracking.models import (
    Activity,
    Company,
    Contact,
    Document,
    Link,
    Opportunity,
    Room,
    SyncEvent,
    Visit,
)

logger = logging.getLogger(__name__)

LEASES = (NAME, ACTIVITIES)
WAITING = "Waiting for the sync run in progress to finish"
IMPORTED = Q(origin=Origin.SALESFORCE)
# The Salesforce link and sync state every synced record carries (tracking's SyncedRecord).
SYNC_STATE = {
    "salesforce_id": "",
    "salesforce_synced_at": None,
    "salesforce_modstamp": None,
    "sync_values": {},
    "deleted_in_salesforce": False,
}
PURGED_AT = object()  # replaced by the purge's time when a batch is unlinked
# What a record written as a Task or note adds to it (tracking's SalesforceActivity). Its
# sync time becomes the purge's: what was written before is not written again by a later
# activation (a second ContentNote, a Task sales deleted); what changes afterwards is.
ACTIVITY_STATE = {
    **SYNC_STATE,
    "salesforce_synced_at": PURGED_AT,
    "salesforce_who_id": "",
    "salesforce_what_id": "",
    "matched_by": "",
    "unresolved_since": None,
    "salesforce_attempted_at": None,
    "salesforce_failed_at": None,
}

Progress = Callable[[CrmDataPurge], None]


@dataclass(frozen=True)
class PurgeKind:
    """One kind of local record: which of its rows are deleted (`imported`; None: none), and
    what is cleared on the others (`cleared`; empty: none are kept)."""

    name: str
    model: type
    imported: Q | None
    cleared: dict = field(default_factory=dict)

    def to_delete(self) -> QuerySet:
        if self.imported is None:
            return self.model.objects.none()
        return self.model.objects.filter(self.imported)

    def to_keep(self) -> QuerySet:
        """The records kept (and unlinked)."""
        if not self.cleared:
            return self.model.objects.none()
        if self.imported is None:
            return self.model.objects.all()
        return self.model.objects.exclude(self.imported)


# Opportunities first (they point at companies), then contacts, then companies. Every
# Opportunity is a read-only mirror of Salesforce: all of them go.
KINDS = (
    PurgeKind("opportunities", Opportunity, imported=Q()),
    PurgeKind("contacts", Contact, imported=IMPORTED,
              cleared={**SYNC_STATE, "salesforce_object": "", "account_salesforce_id": "",
                       "salesforce_owner_id": ""}),
    PurgeKind("companies", Company, imported=IMPORTED,
              cleared={**SYNC_STATE, "salesforce_owner_id": ""}),
    PurgeKind("documents", Document, imported=None, cleared=SYNC_STATE),
    PurgeKind("rooms", Room, imported=None, cleared=SYNC_STATE),
    PurgeKind("links", Link, imported=None, cleared=ACTIVITY_STATE),
    PurgeKind("visits", Visit, imported=None, cleared=ACTIVITY_STATE),
    PurgeKind("activities", Activity, imported=None, cleared=ACTIVITY_STATE),
)  # fmt: skip


def crm_data_purge_create(*, counts: dict[str, dict[str, int]], user=None) -> CrmDataPurge:
    """Record a pending purge with what it is going to delete and keep, per kind
    (`{"contacts": {"to_delete": 3, "to_keep": 2}, ...}`)."""
    total = sum(numbers["to_delete"] + numbers["to_keep"] for numbers in counts.values())
    return CrmDataPurge.objects.create(
        started_by=user if user is not None and user.is_authenticated else None,
        counts=counts,
        total=total,
    )


def crm_data_purge_enqueue(*, purge: CrmDataPurge, delay: int = 0) -> None:
    """Hand the purge to the task cluster once the transaction commits (after `delay`
    seconds: a one-off schedule)."""
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    func = "integrations.tasks.crm_data_purge_task"
    if delay:
        when = timezone.now() + timedelta(seconds=delay)
        transaction.on_commit(
            lambda: schedule(func, purge_id=purge.pk, schedule_type=Schedule.ONCE, next_run=when)
        )
    else:
        transaction.on_commit(lambda: async_task(func, purge_id=purge.pk))


def crm_data_purge_run(
    *,
    purge: CrmDataPurge,
    batch_size: int | None = None,
    wait_seconds: float = 0,
    on_progress: Progress | None = None,
) -> CrmDataPurge:
    """Run the purge to its end, or leave it pending when a sync still holds a lease after
    `wait_seconds` (the caller tries again later). The outcome is on the row."""
    holder = _leases_take(wait_seconds)
    if holder is None:
        purge.wait(phase=WAITING)
        return purge
    purge.start()
    try:
        _purge(purge, holder, batch_size or conf.get("PURGE_BATCH_SIZE"), on_progress)
    except LeaseLostError:
        # A batch outlasted the lease and a sync took over: wait for it, then go on where
        # the purge stopped (each batch starts after the last id it finished).
        purge.wait(phase=WAITING)
        return purge
    except Exception as error:
        purge.finish(PurgeStatus.FAILED, error=f"Unexpected error: {error!r}")
        raise
    finally:
        _leases_release(holder)
    purge.finish(PurgeStatus.SUCCEEDED)
    return purge


def crm_data_purge_retry(*, purge: CrmDataPurge) -> None:
    """A purge that waited for a sync: try again later, with a growing delay, a bounded
    number of times; then it fails, saying how to start it again."""
    if purge.attempts >= conf.get("PURGE_MAX_ATTEMPTS"):
        purge.finish(
            PurgeStatus.FAILED,
            error=(
                f"A sync run kept running through {purge.attempts} attempts. Nothing was "
                "deleted. Run “python manage.py crm_sync deactivate --purge --yes” once no "
                "sync run is in progress (see Sync runs)."
            ),
        )
        return
    delay = conf.get("PURGE_RETRY_SECONDS") * 2 ** max(0, purge.attempts - 1)
    crm_data_purge_enqueue(purge=purge, delay=min(delay, conf.get("PURGE_RETRY_MAX")))


def crm_data_purges_resume() -> int:
    """Enqueue purges a lost task left unfinished (no heartbeat for a while); how many."""
    quiet_since = timezone.now() - timedelta(seconds=conf.get("PURGE_RETRY_MAX") * 2)
    lost = CrmDataPurge.objects.filter(
        status__in=[PurgeStatus.PENDING, PurgeStatus.RUNNING], created_at__lt=quiet_since
    ).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=quiet_since))
    for purge in lost:
        crm_data_purge_enqueue(purge=purge)
    return len(lost)


def _purge(purge: CrmDataPurge, holder: str, size: int, on_progress: Progress | None) -> None:
    for kind in KINDS:
        content_type = ContentType.objects.get_for_model(kind.model)
        phase = f"Deleting imported {kind.name}"
        for ids in _id_batches(kind.to_delete(), size):
            with transaction.atomic():
                SyncEvent.objects.filter(content_type=content_type, object_id__in=ids).delete()
                kind.model.objects.filter(pk__in=ids).delete()
            _advance(purge, holder, kind, "deleted", len(ids), phase, on_progress)
        phase = f"Unlinking {kind.name} created here"
        for ids in _id_batches(kind.to_keep(), size):
            now = timezone.now()
            cleared = {name: now if value is PURGED_AT else value
                       for name, value in kind.cleared.items()}  # fmt: skip
            kind.model.objects.filter(pk__in=ids).update(**cleared, updated_at=now)
            _advance(purge, holder, kind, "unlinked", len(ids), phase, on_progress)
    # A later activation imports afresh: every object is read again from the beginning.
    SyncCursor.objects.all().delete()


def _advance(purge, holder, kind, counted, count, phase, on_progress) -> None:
    purge.progress(kind=kind.name, counted=counted, advance=count, phase=phase)
    for name in LEASES:
        if not lease_renew(holder=holder, name=name):
            raise LeaseLostError(f"The {name} lease of the purge was taken over.")
    if on_progress is not None:
        on_progress(purge)


def _id_batches(queryset: QuerySet, size: int) -> Iterator[list[int]]:
    """The queryset's ids, `size` at a time, keyset by pk (rows deleted on the way are no
    problem: each batch starts after the last id seen)."""
    last = 0
    while ids := list(
        queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
    ):
        yield ids
        last = ids[-1]


def _leases_take(wait_seconds: float) -> str | None:
    """Both sync leases for one holder, waiting up to `wait_seconds`; None when a sync
    still holds one."""
    holder = lease_holder_name()
    deadline = time.monotonic() + wait_seconds
    while True:
        taken = [name for name in LEASES if lease_acquire(holder=holder, name=name)]
        if len(taken) == len(LEASES):
            return holder
        _leases_release(holder, names=taken)
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


def _leases_release(holder: str, *, names=LEASES) -> None:
    for name in names:
        lease_release(holder=holder, name=name)
