"""The django-q2 schedules of the sync, kept in step with the sync settings.

`schedules_sync` is the one place that creates or changes them. It is idempotent and runs
after every `migrate` and whenever the sync settings are saved; schedules it does not own are
left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_q.models import Schedule

from integrations.models import SyncSettings

SYNC_SCHEDULE = "salesforce-sync"
SYNC_FUNC = "integrations.tasks.salesforce_sync_task"
SWEEP_SCHEDULE = "salesforce-sweep"
SWEEP_FUNC = "integrations.tasks.salesforce_sweep_task"
SWEEP_MINUTES = 5
QUARANTINE_SCHEDULE = "quarantine-purge"
QUARANTINE_FUNC = "integrations.tasks.quarantine_purge_task"
QUARANTINE_MINUTES = 60


def schedules_sync() -> None:
    """Create or update the sync, sweep and quarantine purge schedules from the settings."""
    _schedule_ensure(name=SYNC_SCHEDULE, func=SYNC_FUNC, minutes=_sync_interval())
    _schedule_ensure(name=SWEEP_SCHEDULE, func=SWEEP_FUNC, minutes=SWEEP_MINUTES)
    _schedule_ensure(name=QUARANTINE_SCHEDULE, func=QUARANTINE_FUNC, minutes=QUARANTINE_MINUTES)


def sync_schedule() -> Schedule | None:
    """The sync's schedule row (for showing its next run), if it exists."""
    return Schedule.objects.filter(name=SYNC_SCHEDULE).order_by("pk").first()


def _sync_interval() -> int:
    # Read without creating the settings row: this also runs inside `migrate`.
    settings = SyncSettings.objects.row().first()
    if settings is None:
        return SyncSettings._meta.get_field("sync_interval_minutes").default
    return settings.sync_interval_minutes


def _schedule_ensure(*, name: str, func: str, minutes: int) -> None:
    now = timezone.now()
    schedules = list(Schedule.objects.filter(name=name).order_by("pk"))
    if not schedules:
        Schedule.objects.create(
            name=name,
            func=func,
            schedule_type=Schedule.MINUTES,
            minutes=minutes,
            repeats=-1,
            next_run=now + timedelta(minutes=minutes),
        )
        return
    schedule, duplicates = schedules[0], schedules[1:]
    for duplicate in duplicates:
        duplicate.delete()
    latest_next_run = now + timedelta(minutes=minutes)
    unchanged = (
        schedule.func == func
        and schedule.schedule_type == Schedule.MINUTES
        and schedule.minutes == minutes
        and schedule.repeats == -1
        and schedule.next_run is not None
        and schedule.next_run <= latest_next_run
    )
    if unchanged:
        return
    schedule.func = func
    schedule.schedule_type = Schedule.MINUTES
    schedule.minutes = minutes
    schedule.repeats = -1
    # A shorter interval takes effect now, not after the old, longer wait.
    if schedule.next_run is None or schedule.next_run > latest_next_run:
        schedule.next_run = latest_next_run
    schedule.save()
