"""The activities lane: pushing new and changed visits, links and activities within seconds.

Every committed write of tracked records (`tracking.signals.activity_records_changed`)
enqueues `salesforce_activities_push_task`, which runs the activity handlers alone, under the
activities lease, so a visit's Task never waits behind a long contact sync. Each push is a
run row (lane "activities"). A push turned away because another holds the lease loses
nothing: an activities push looks again for due records after it lets the lease go, and
pushes them too (the record's commit came before the turned-away attempt, which came before
that look); a full run holding the lease for its activity handlers enqueues a push after it
ends when anything is due.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from integrations.choices import Lane, RunStatus, RunTrigger
from integrations.models import SyncRun, SyncSettings
from integrations.services.sync import (
    cycle_execute,
    lane_runs_fail_taken_over,
    salesforce_sync_blocker,
)
from integrations.sync.handlers import enabled_handlers
from integrations.sync.lease import ACTIVITIES, Heartbeat, lease_acquire, lease_release

logger = logging.getLogger(__name__)

# A guard, not a limit anyone reaches: each round writes what was due when it started.
MAX_ROUNDS = 20


def salesforce_activities_push(*, trigger: str = RunTrigger.EVENT) -> list[SyncRun]:
    """Push what is due in the activities lane, round after round while more arrives; the
    runs it made (none when nothing was due, sync cannot run, or another push holds the
    lease: that one picks up what is due)."""
    runs: list[SyncRun] = []
    for _ in range(MAX_ROUNDS):
        if salesforce_sync_blocker() or not activities_due():
            break
        holder = lease_acquire(name=ACTIVITIES)
        if holder is None:
            break
        try:
            run = SyncRun.objects.create(trigger=trigger, lane=Lane.ACTIVITIES)
            run.start()
            lane_runs_fail_taken_over(run, lane=Lane.ACTIVITIES)
            with Heartbeat(run=run, holder=holder, name=ACTIVITIES):
                runs.append(cycle_execute(run, holder, lease=ACTIVITIES))
        finally:
            lease_release(holder=holder, name=ACTIVITIES)
        if run.status == RunStatus.FAILED:
            break  # e.g. Salesforce unreachable: the next post or the schedule tries again
    return runs


def activities_due() -> bool:
    """Whether the activities lane has anything to write now."""
    settings = SyncSettings.load()
    now = timezone.now()
    return any(
        handler.due(settings, now=now, lane=True).exists()
        for handler in enabled_handlers(settings, activities_only=True)
    )


def activities_push_enqueue(*, model=None, pks=None) -> bool:
    """Hand a push to the task cluster when something is due: of these just-written records
    of `model` (a progress post of a visit written minutes ago is not due: it waits for its
    cadence), or anything at all without them (after a full run, which may have turned a
    push away). Whether it enqueued. A broker that cannot take the task is logged, never
    raised: the records are stored, and the scheduled sync sends them."""
    from django_q.tasks import async_task

    settings = SyncSettings.load()
    if not (settings.sync_enabled and settings.task_sync):
        return False
    now = timezone.now()
    handlers = enabled_handlers(settings, activities_only=True)
    if model is not None:
        handlers = [handler for handler in handlers if handler.kind.model is model]
    due = (handler.due(settings, now=now, lane=True) for handler in handlers)
    if not any((q.filter(pk__in=pks) if pks is not None else q).exists() for q in due):
        return False
    try:
        async_task("integrations.tasks.salesforce_activities_push_task", timeout=300)
    except Exception:
        logger.exception("Could not enqueue the activities push; the scheduled sync sends them")
        return False
    return True
