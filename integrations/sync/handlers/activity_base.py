"""What the activity handlers (visits, links and rooms, write-back) share: which records are
due, and the activities lease.

They push only; nothing is read back. In the activities lane (the event-driven push, run
within seconds of a post) they skip what waits for a match and what Salesforce refused since
it last changed: the scheduled cycle retries those, after its pulls and the contact push,
so a visit is replayed as soon as its Contact, Lead or Account exists on either side.
A full cycle's activity handlers take the activities lease too, so the two never write the
same records at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.models import SyncSettings
from integrations.sync import push
from integrations.sync.activities.kinds import TaskKind
from integrations.sync.activities.writer import TaskWriter
from integrations.sync.cycle import Cycle
from integrations.sync.handlers.base import Handler
from integrations.sync.lease import (
    ACTIVITIES,
    LeaseBusyError,
    LeaseLostError,
    lease_release,
    lease_renew,
    lease_wait,
)
from integrations.sync.rules.activities import sent_q

LEASE_WAIT_SECONDS = 30
ACTIVITIES_BUSY = "An activities push was sending them meanwhile."


class ActivityHandler(Handler):
    """A handler writing one kind of tracked record as Tasks."""

    kind: TaskKind
    writes = ("Task",)

    def enabled(self, settings) -> bool:
        return bool(settings.task_sync)

    def due(self, settings, *, now: datetime, lane: bool) -> QuerySet:
        """The records to write now, of those the settings send (`lane`: in the activities
        lane, which leaves what waits for a match or was refused to the scheduled cycle)."""
        model = self.kind.model
        queryset = push.unsynced(model, extra=sent_q(settings, model))
        if lane:
            queryset = queryset.filter(unresolved_since__isnull=True).exclude(
                salesforce_failed_at__gte=F("local_modified_at")
            )
        return queryset.filter(self.due_q(now))

    def due_q(self, now: datetime) -> Q:
        return Q()

    def waiting(self) -> int:
        return self.due(SyncSettings.load(), now=timezone.now(), lane=False).count()

    def push(self, cycle: Cycle) -> None:
        with activities_lease(cycle) as held:
            if not held:
                cycle.recorder.count(self.kind.model._meta.model_name, Operation.SKIP,
                                     reason=ACTIVITIES_BUSY,
                                     direction=Direction.OUTBOUND)  # fmt: skip
                return
            self.push_due(cycle)

    def push_due(self, cycle: Cycle) -> None:
        size = conf.get("SYNC_BATCH_SIZE")
        due = self.due(cycle.settings, now=cycle.now, lane=cycle.lease == ACTIVITIES)
        due = self.selected(due)
        for queryset, writer in self.writers(cycle, due):
            for loaded_at, batch in _stamped_batches(queryset, size):
                writer.write(batch, loaded_at=loaded_at)
                cycle.advance(len(batch))
                held_here = cycle.holder and cycle.lease != ACTIVITIES
                if held_here and not lease_renew(holder=cycle.holder, name=ACTIVITIES):
                    raise LeaseLostError("The activities lease was taken over.")

    def writers(self, cycle: Cycle, due: QuerySet) -> list[tuple[QuerySet, TaskWriter]]:
        """Which writer writes which of the due records."""
        return [(due, TaskWriter(cycle, self.kind))]

    def selected(self, queryset: QuerySet) -> QuerySet:
        """The related rows the Task values need, fetched with the batch."""
        return queryset


@contextmanager
def activities_lease(cycle: Cycle) -> Iterator[bool]:
    """Hold the activities lease for a full cycle's activity handlers (the activities lane
    holds it already; the cycle's heartbeat renews it with the sync lease). Waits a little
    for a push in progress; False when it could not get it: that push sends these records,
    and the full run asks for a push after it ends (`salesforce_sync_run`)."""
    if cycle.lease == ACTIVITIES or not cycle.holder:
        yield True
        return
    try:
        lease_wait(name=ACTIVITIES, wait_seconds=LEASE_WAIT_SECONDS, holder=cycle.holder,
                   run=cycle.run)  # fmt: skip
    except LeaseBusyError:
        yield False
        return
    try:
        yield True
    finally:
        lease_release(holder=cycle.holder, name=ACTIVITIES)


def _stamped_batches(queryset: QuerySet, size: int) -> Iterator[tuple[datetime, list]]:
    """`push.batches` with the time each batch was read, taken just before reading it."""
    last = 0
    while True:
        loaded_at = timezone.now()
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield loaded_at, batch
        last = batch[-1].pk
