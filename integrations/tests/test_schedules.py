"""The sync's django-q2 schedules follow the settings, created and updated idempotently."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from integrations.models import SyncSettings
from integrations.schedules import (
    QUARANTINE_FUNC,
    QUARANTINE_SCHEDULE,
    SWEEP_FUNC,
    SWEEP_SCHEDULE,
    SYNC_FUNC,
    SYNC_SCHEDULE,
    schedules_sync,
    sync_schedule,
)
from integrations.services.settings import sync_settings_update

pytestmark = pytest.mark.django_db


def owned():
    return Schedule.objects.filter(name__in=[SYNC_SCHEDULE, SWEEP_SCHEDULE]).order_by("name")


def test_migrate_creates_both_schedules():
    # The test database was built by `migrate`, whose post_migrate handler ran schedules_sync.
    sync = Schedule.objects.get(name=SYNC_SCHEDULE)
    sweep = Schedule.objects.get(name=SWEEP_SCHEDULE)
    assert (sync.func, sync.schedule_type, sync.minutes, sync.repeats) == (
        SYNC_FUNC, Schedule.MINUTES, 15, -1,
    )  # fmt: skip
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == (SWEEP_FUNC, Schedule.MINUTES, 5)


def test_migrate_creates_the_hourly_quarantine_purge():
    purge = Schedule.objects.get(name=QUARANTINE_SCHEDULE)
    assert (purge.func, purge.schedule_type, purge.minutes, purge.repeats) == (
        QUARANTINE_FUNC, Schedule.MINUTES, 60, -1,
    )  # fmt: skip


def test_running_twice_changes_nothing():
    Schedule.objects.all().delete()
    schedules_sync()
    first = list(owned().values())

    schedules_sync()

    assert list(owned().values()) == first
    assert len(first) == 2


def test_interval_change_updates_the_schedule_and_pulls_next_run_forward():
    # given a daily sync
    Schedule.objects.all().delete()
    settings = SyncSettings.load()
    settings.sync_interval_minutes = 1440
    settings.save()
    schedules_sync()
    schedule = sync_schedule()
    assert schedule.next_run > timezone.now() + timedelta(hours=23)

    # when the interval becomes 10 minutes
    settings.sync_interval_minutes = 10
    settings.save()
    schedules_sync()

    # then
    schedule.refresh_from_db()
    assert schedule.minutes == 10
    assert schedule.next_run <= timezone.now() + timedelta(minutes=10)
    assert Schedule.objects.filter(name=SYNC_SCHEDULE).count() == 1


def test_longer_interval_keeps_the_next_run_already_due():
    schedule = sync_schedule()
    soon = timezone.now() + timedelta(minutes=1)
    Schedule.objects.filter(pk=schedule.pk).update(next_run=soon)
    settings = SyncSettings.load()
    settings.sync_interval_minutes = 60
    settings.save()

    schedules_sync()

    schedule.refresh_from_db()
    assert (schedule.minutes, schedule.next_run) == (60, soon)


def test_a_changed_row_is_repaired_and_duplicates_removed():
    Schedule.objects.filter(name=SYNC_SCHEDULE).update(func="elsewhere.task", minutes=99)
    Schedule.objects.create(name=SYNC_SCHEDULE, func="elsewhere.task", schedule_type="D")

    schedules_sync()

    (schedule,) = Schedule.objects.filter(name=SYNC_SCHEDULE)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        SYNC_FUNC, Schedule.MINUTES, 15,
    )  # fmt: skip


def test_other_schedules_are_left_alone():
    other = Schedule.objects.create(
        name="nightly-report", func="reports.tasks.nightly", schedule_type=Schedule.DAILY
    )

    schedules_sync()

    other.refresh_from_db()
    assert (other.func, other.schedule_type) == ("reports.tasks.nightly", Schedule.DAILY)


def test_works_before_the_settings_row_exists():
    SyncSettings.objects.all().delete()
    Schedule.objects.all().delete()

    schedules_sync()

    assert sync_schedule().minutes == 15
    assert not SyncSettings.objects.exists()


def test_saving_settings_reschedules_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sync_settings_update(data={"sync_interval_minutes": 30})

    assert len(callbacks) == 1
    assert sync_schedule().minutes == 30
