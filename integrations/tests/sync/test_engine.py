"""The cycle as a whole: it walks the handlers, survives crashes, expired sessions and 503s,
and does not run when sync is off."""

import pytest

from integrations.choices import RunStatus
from integrations.sync import handlers
from integrations.sync.handlers.base import Handler
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Contact

pytestmark = pytest.mark.django_db


def test_crash_mid_batch_then_rerun_creates_no_duplicates(sync_settings, emulator, make_contact):
    for index in range(5):
        make_contact(f"p{index}@example.com")
    emulator.faults.inject("disconnect_after_apply", path_contains="composite/sobjects")
    crashed = run_cycle()
    assert crashed.status == RunStatus.FAILED
    assert emulator.store.count("Lead") == 5  # Salesforce committed before the drop
    rerun = run_cycle()
    assert rerun.status == RunStatus.SUCCEEDED
    assert emulator.store.count("Lead") == 5
    assert Contact.objects.exclude(salesforce_id="").count() == 5
    assert rerun.counts["Lead"]["matched"] == 5


def test_session_expiry_and_503s_during_a_run(sync_settings, emulator, make_contact):
    for index in range(3):
        make_contact(f"q{index}@example.com")
    emulator.faults.inject("session_expired", path_contains="composite/sobjects")
    emulator.faults.inject("503", times=2, path_contains="query")
    run = run_cycle()
    assert run.status == RunStatus.SUCCEEDED
    assert emulator.store.count("Lead") == 3


def test_run_is_skipped_with_a_reason_when_sync_is_off(sync_settings, emulator):
    sync_settings.sync_enabled = False
    sync_settings.save()
    run = run_cycle()
    assert run.status == RunStatus.SKIPPED
    assert "switched off" in run.error


class RecordingHandler(Handler):
    """A handler that only notes what the engine asks of it."""

    writes = ("Task",)
    push_phase = "Sending tasks to Salesforce"

    def __init__(self, name, calls, *, enabled=True):
        self.name, self.calls, self.is_enabled = name, calls, enabled

    def enabled(self, settings):
        return self.is_enabled

    def waiting(self):
        return 3

    def pull(self, cycle):
        self.calls.append(("pull", self.name, cycle.run.phase))

    def push(self, cycle):
        self.calls.append(("push", self.name, cycle.run.phase))


def test_the_engine_pulls_every_enabled_handler_then_pushes_them_in_table_order(
    sync_settings, monkeypatch
):
    # given: a handler table of three, one of them switched off by the settings
    calls = []
    table = (
        RecordingHandler("first", calls),
        RecordingHandler("off", calls, enabled=False),
        RecordingHandler("second", calls),
    )
    monkeypatch.setattr(handlers, "HANDLERS", table)
    # when
    run = run_cycle()
    # then
    assert run.status == RunStatus.SUCCEEDED
    assert [(step, name) for step, name, _ in calls] == [
        ("pull", "first"), ("pull", "second"), ("push", "first"), ("push", "second"),
    ]  # fmt: skip
    assert calls[-1][2] == "Sending tasks to Salesforce"
    assert run.total == 6  # what the enabled handlers have waiting


def test_switched_off_objects_are_not_read(sync_settings, emulator):
    # given: account and opportunity sync off
    emulator.reset_stats()
    # when
    run_cycle()
    # then: one query each for Leads and Contacts, nothing else
    assert emulator.api_calls == 2
