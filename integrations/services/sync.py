"""Starting and running sync cycles, and sweeping up after lost tasks.

Named like their schedules and tasks: `salesforce_sync_*` for the schedule `salesforce-sync`
and its task `salesforce_sync_task`, `salesforce_sweep` for `salesforce-sweep` and
`salesforce_sweep_task`. A run is a row before anything is enqueued: the sweep finds runs a
lost task left pending or running, so nothing is silently dropped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.choices import RunStatus, RunTrigger
from integrations.exceptions import RateLimitedError, SalesforceError
from integrations.models import SalesforceConnection, SyncRun, SyncSettings
from integrations.salesforce.hints import hint_for
from integrations.services.connection import salesforce_client
from integrations.sync.engine import sync_cycle
from integrations.sync.lease import lease_acquire, lease_release
from integrations.sync.recorder import Recorder

logger = logging.getLogger(__name__)


def salesforce_sync_create(*, trigger: str = RunTrigger.SCHEDULE) -> SyncRun:
    return SyncRun.objects.create(trigger=trigger)


def salesforce_sync_enqueue(*, trigger: str = RunTrigger.MANUAL) -> SyncRun:
    """Record a run and hand it to the task cluster once the transaction commits."""
    from django_q.tasks import async_task

    run = salesforce_sync_create(trigger=trigger)
    transaction.on_commit(
        lambda: async_task("integrations.tasks.salesforce_sync_task", run_id=run.pk)
    )
    return run


def salesforce_sync_run(*, run: SyncRun) -> SyncRun:
    """Run one cycle for `run` unless something stops it; the outcome is on the row."""
    reason = salesforce_sync_blocker()
    if reason:
        return _finish(run, RunStatus.SKIPPED, error=reason[0], hint=reason[1])
    holder = lease_acquire()
    if holder is None:
        return _finish(
            run,
            RunStatus.SKIPPED,
            error="Another sync run is in progress.",
            hint="Wait for it to finish; its progress is shown in Sync runs.",
        )
    run.start()
    try:
        return _execute(run, holder)
    finally:
        lease_release(holder=holder)


def _execute(run: SyncRun, holder: str) -> SyncRun:
    client = salesforce_client()
    recorder = Recorder(run)
    finish = partial(_finish, run, client=client, recorder=recorder)
    try:
        sync_cycle(run=run, client=client, holder=holder, recorder=recorder)
    except RateLimitedError as error:
        when = f"{error.resume_at:%Y-%m-%d %H:%M} UTC"
        return finish(
            RunStatus.FAILED, error=f"{error} Sync resumes after {when}.", hint=error.hint
        )
    except SalesforceError as error:
        return finish(RunStatus.FAILED, error=str(error), hint=error.hint)
    except Exception as error:
        finish(
            RunStatus.FAILED,
            error=f"Unexpected error: {error!r}",
            hint="See the task log; the next run continues where this one stopped.",
        )
        raise
    failed = any(counts.get("errors") for counts in recorder.counts.values())
    SalesforceConnection.mark_synced()
    return finish(RunStatus.PARTIAL if failed else RunStatus.SUCCEEDED)


def salesforce_sync_blocker() -> tuple[str, str] | None:
    """Why no cycle can run now (reason, hint), or None when one can."""
    connection = SalesforceConnection.load()
    if not connection.is_connected:
        return "Salesforce is not connected.", hint_for("NOT_CONNECTED")
    if not SyncSettings.load().sync_enabled:
        return (
            "Sync is switched off.",
            "Turn on “sync with Salesforce” in the sync settings.",
        )
    if connection.is_paused:
        return (
            f"Paused until {connection.paused_until:%Y-%m-%d %H:%M} UTC: {connection.last_error}",
            connection.last_error_hint,
        )
    return None


def _finish(run, status, *, error="", hint="", client=None, recorder=None) -> SyncRun:
    run.finish(
        status,
        error=error,
        hint=hint,
        api_calls=client.calls if client is not None else None,
        counts=recorder.counts if recorder is not None else None,
    )
    return run


def salesforce_sweep() -> list[SyncRun]:
    """Finish what lost tasks left: stale running runs fail; forgotten pending runs run."""
    stale = timezone.now() - timedelta(seconds=conf.get("SYNC_LEASE_SECONDS"))
    SyncRun.objects.fail_stale(heartbeat_before=stale)
    forgotten = SyncRun.objects.filter(
        status=RunStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=2)
    ).order_by("created_at")
    return [salesforce_sync_run(run=run) for run in forgotten]
