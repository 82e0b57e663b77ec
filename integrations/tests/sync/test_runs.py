"""Running cycles: the command's contract, tasks, and the sweep that finishes lost work."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from integrations.choices import RunStatus, RunTrigger
from integrations.models import SyncRun
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.tasks import salesforce_sweep_task, salesforce_sync_task
from integrations.tests.factories import SyncRunFactory

pytestmark = pytest.mark.django_db


def test_command_runs_a_cycle_and_prints_a_summary(sync_settings, emulator, make_contact, capsys):
    make_contact("ok@example.com")
    make_contact("bad@[192.0.2.1]")
    call_command("salesforce_sync")  # single-record errors do not fail the command
    output = capsys.readouterr().out
    assert "Finished with record errors" in output
    assert "Lead" in output
    assert "API calls used:" in output
    assert SyncRun.objects.get().trigger == RunTrigger.COMMAND


def test_command_fails_with_the_reason_when_sync_is_off(sync_settings):
    sync_settings.sync_enabled = False
    sync_settings.save()
    with pytest.raises(CommandError, match="switched off"):
        call_command("salesforce_sync")


def test_command_fails_when_not_connected(db):
    with pytest.raises(CommandError, match="not connected"):
        call_command("salesforce_sync")


def test_task_runs_a_recorded_run_once(sync_settings, emulator, make_contact):
    make_contact("task@example.com")
    run = SyncRunFactory(trigger=RunTrigger.MANUAL)
    assert salesforce_sync_task(run_id=run.pk) == RunStatus.SUCCEEDED
    assert salesforce_sync_task(run_id=run.pk) == RunStatus.SUCCEEDED  # re-delivered
    assert SyncRun.objects.count() == 1
    assert emulator.store.count("Lead") == 1


def test_sweep_fails_dead_runs_and_runs_forgotten_ones(sync_settings, emulator, make_contact):
    make_contact("sweep@example.com")
    dead = SyncRunFactory(status=RunStatus.RUNNING,
                          heartbeat_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    forgotten = SyncRunFactory()
    SyncRun.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    assert salesforce_sweep_task() == 1
    dead.refresh_from_db()
    forgotten.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert "stopped" in dead.error
    assert forgotten.status == RunStatus.SUCCEEDED
    assert emulator.store.count("Lead") == 1


def test_scheduled_task_leaves_no_row_while_sync_is_off(sync_settings):
    sync_settings.sync_enabled = False
    sync_settings.save()
    assert salesforce_sync_task() == RunStatus.SKIPPED
    assert not SyncRun.objects.exists()


def test_scheduled_task_runs_a_cycle(sync_settings, emulator, make_contact):
    make_contact("scheduled@example.com")
    assert salesforce_sync_task() == RunStatus.SUCCEEDED
    assert SyncRun.objects.get().trigger == RunTrigger.SCHEDULE


def test_a_failed_run_keeps_the_counts_of_what_it_did(sync_settings, emulator, make_contact):
    # given: a Lead to import, and a contact to send while Salesforce refuses every write
    emulator.store.insert("Lead", {"LastName": "In", "Company": "C", "Email": "in@example.com"})
    make_contact("out@example.com")
    emulator.faults.inject("503", times=50, path_contains="composite/sobjects")
    # when
    run = salesforce_sync_run(run=salesforce_sync_create())
    # then: the import before the failure is counted on the failed run
    assert run.status == RunStatus.FAILED
    assert run.counts["Lead"]["created"] == 1
    assert "SERVER_UNAVAILABLE" in run.error


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [
        (RunStatus.RUNNING, 3, 10, 30),
        (RunStatus.SUCCEEDED, 3, 10, 100),
        (RunStatus.PARTIAL, 0, 0, 100),
        (RunStatus.FAILED, 3, 10, 30),
        (RunStatus.FAILED, 10, 10, 99),
        (RunStatus.FAILED, 0, 0, 0),
    ],
)
def test_a_failed_runs_bar_shows_where_it_stopped(status, done, total, percent):
    assert SyncRun(status=status, done=done, total=total).progress_percent == percent
