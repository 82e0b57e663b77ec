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
from integrations.choices import Lane, RunStatus, RunTrigger
from integrations.exceptions import AuthError, RateLimitedError, SalesforceError
from integrations.models import SalesforceConnection, SyncRun, SyncSettings
from integrations.salesforce.errors import AUTH_FAILURE_CODES
from integrations.salesforce.hints import hint_for
from integrations.services.alerts import alerts_evaluate_logged
from integrations.services.connection import connection_mark_failed, salesforce_client
from integrations.sync.engine import sync_cycle
from integrations.sync.lease import (
    NAME,
    Heartbeat,
    LeaseLostError,
    lease_acquire,
    lease_current,
    lease_release,
)
from integrations.sync.recorder import Recorder

logger = logging.getLogger(__name__)

IN_PROGRESS_HINT = "Wait for it to finish; its progress is shown in Sync runs."


def salesforce_sync_create(*, trigger: str = RunTrigger.SCHEDULE) -> SyncRun:
    return SyncRun.objects.create(trigger=trigger)


def salesforce_sync_enqueue(*, trigger: str = RunTrigger.MANUAL) -> SyncRun:
    """Record a run and hand it to the task cluster once the transaction commits.

    Runs whose worker stopped beating end as failed right here, so a dead run does not show
    as running while no qcluster is there to sweep it.
    """
    from django_q.tasks import async_task

    _fail_dead_runs()
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
    holder = lease_acquire(run=run)
    if holder is None:
        return _finish(run, RunStatus.SKIPPED, **_in_progress())
    run.start()
    lane_runs_fail_taken_over(run, lane=Lane.SYNC)
    try:
        with Heartbeat(run=run, holder=holder):
            return cycle_execute(run, holder)
    finally:
        lease_release(holder=holder)
        _push_what_waited()


def _push_what_waited() -> None:
    """Activities posted while this run held their lease were turned away by it: push them."""
    # Imported here: the activities lane runs its cycles through this module.
    from integrations.services.activities_push import activities_push_enqueue

    try:
        activities_push_enqueue()
    except Exception:  # never hide the run's own outcome or error
        logger.exception("Could not check for activities to push after the sync run")


def lane_runs_fail_taken_over(run: SyncRun, *, lane: str) -> None:
    """We hold the lane's lease, so any other "running" run of that lane lost it: its process
    died (or stalled past the lease, and stops at its next step). Other lanes run on."""
    SyncRun.objects.filter(lane=lane).exclude(pk=run.pk).fail_stale(
        heartbeat_before=timezone.now(), taken_over_by=run
    )


def _in_progress() -> dict[str, str]:
    """Why a run was turned away: who holds the lease, since when, until when at most."""
    lease = lease_current()
    if lease is None or lease.run is None:
        return {"error": "Another sync run is in progress.", "hint": IN_PROGRESS_HINT}
    started = lease.run.started_at or lease.run.created_at
    until = f"{lease.expires_at:%H:%M:%S} UTC" if lease.expires_at else "its lease runs out"
    return {
        "error": (
            f"Another sync run is in progress: run {lease.run.pk}, started "
            f"{started:%Y-%m-%d %H:%M:%S} UTC by {lease.holder}."
        ),
        "hint": f"{IN_PROGRESS_HINT} If its process died, a run after {until} takes over.",
    }


def cycle_execute(run: SyncRun, holder: str, *, lease: str = NAME) -> SyncRun:
    """Run the cycle of a started run whose lease `holder` holds; the outcome is on the row
    (the activities lane runs its handlers through here too)."""
    client = salesforce_client()
    recorder = Recorder(run)
    finish = partial(_finish, run, client=client, recorder=recorder)
    try:
        sync_cycle(run=run, client=client, holder=holder, recorder=recorder, lease=lease)
    except LeaseLostError:
        return finish(
            RunStatus.FAILED,
            error="This run stalled longer than its lease lasts, and another run took over.",
            hint="Nothing is lost: the run that took over continues the work.",
        )
    except RateLimitedError as error:
        when = f"{error.resume_at:%Y-%m-%d %H:%M} UTC"
        return finish(
            RunStatus.FAILED, error=f"{error} Sync resumes after {when}.", hint=error.hint
        )
    except AuthError as error:
        # A refused login needs a person: the connection says so, and the sync stops until
        # they have acted. Any other login failure (a throttled or odd answer of the login
        # service) fails this run only; the next run tries again.
        if error.code in AUTH_FAILURE_CODES:
            connection_mark_failed(connection=SalesforceConnection.load(), error=error)
        return finish(RunStatus.FAILED, error=str(error), hint=error.hint)
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
    """Close the run, then see which alerts its outcome raises or clears."""
    run.finish(
        status,
        error=error,
        hint=hint,
        api_calls=client.calls if client is not None else None,
        counts=recorder.counts if recorder is not None else None,
    )
    alerts_evaluate_logged()
    return run


def salesforce_sweep() -> list[SyncRun]:
    """Finish what lost tasks left: stale running runs fail; forgotten pending runs run."""
    _fail_dead_runs()
    forgotten = SyncRun.objects.filter(
        status=RunStatus.PENDING, created_at__lt=timezone.now() - timedelta(minutes=2)
    ).order_by("created_at")
    return [salesforce_sync_run(run=run) for run in forgotten]


def _fail_dead_runs() -> int:
    """Fail running runs whose heartbeat is older than the lease lasts (their worker died)."""
    stale = timezone.now() - timedelta(seconds=conf.get("SYNC_LEASE_SECONDS"))
    return SyncRun.objects.fail_stale(heartbeat_before=stale)
