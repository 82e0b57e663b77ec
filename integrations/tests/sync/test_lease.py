"""One sync at a time, however many workers try."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection as db
from django.urls import reverse
from django.utils import timezone

from integrations import conf
from integrations.choices import RunStatus
from integrations.models import SyncLease, SyncRun
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.sync.cycle import Cycle
from integrations.sync.lease import (
    Heartbeat,
    LeaseLostError,
    lease_acquire,
    lease_release,
    lease_renew,
)
from integrations.tests.factories import SyncRunFactory
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Contact


@pytest.mark.django_db
def test_only_one_holder_until_release_or_expiry():
    first = lease_acquire()
    assert first
    assert lease_acquire() is None
    assert lease_renew(holder=first)
    lease_release(holder=first)
    second = lease_acquire()
    assert second
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert lease_acquire() is not None  # a crashed holder's lease expires


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_never_sync_the_same_record_twice(
    postgres_url, sync_settings, emulator, make_contact
):
    """Two workers at once, on PostgreSQL (SQLite's in-memory test database serialises
    threads with table locks, so the race cannot happen there)."""
    # given
    for index in range(30):
        make_contact(f"c{index}@example.com")
    emulator.latency = 0.02
    runs = [salesforce_sync_create(), salesforce_sync_create()]
    barrier = threading.Barrier(2)
    results = []

    def work(run):
        barrier.wait()
        try:
            results.append(salesforce_sync_run(run=run))
        finally:
            db.close()

    # when
    threads = [threading.Thread(target=work, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: whether the second run was turned away or came after the first, every record
    # was created exactly once
    assert len(results) == 2
    assert {run.status for run in results} <= {RunStatus.SUCCEEDED, RunStatus.SKIPPED}
    created = sum(run.counts.get("Lead", {}).get("created", 0) for run in results)
    assert created == 30
    assert emulator.store.count("Lead") == 30
    assert Contact.objects.exclude(salesforce_id="").count() == 30


def test_a_dead_run_s_lease_runs_out_within_a_minute_of_its_last_heartbeat():
    lease, beat = conf.get("SYNC_LEASE_SECONDS"), conf.get("SYNC_HEARTBEAT_SECONDS")
    assert lease <= 60
    assert beat * 3 <= lease  # a live run renews it several times before it could run out


def _running_elsewhere(*, holder_expires_in: float) -> SyncRun:
    """A run some other process is running (or was, until it died)."""
    other = SyncRunFactory(status=RunStatus.RUNNING, started_at=timezone.now(),
                           heartbeat_at=timezone.now())  # fmt: skip
    assert lease_acquire(holder="worker-7 pid 4242", run=other)
    SyncLease.objects.update(expires_at=timezone.now() + timedelta(seconds=holder_expires_in))
    return other


@pytest.mark.django_db
def test_a_run_in_progress_is_named_with_its_holder_and_start_time(sync_settings, make_contact):
    # given
    make_contact("waits@example.com")
    other = _running_elsewhere(holder_expires_in=30)
    # when
    run = run_cycle()
    # then
    assert run.status == RunStatus.SKIPPED
    assert f"run {other.pk}" in run.error
    assert "worker-7 pid 4242" in run.error
    assert f"{other.started_at:%Y-%m-%d %H:%M:%S} UTC" in run.error
    assert not Contact.objects.exclude(salesforce_id="").exists()


@pytest.mark.django_db
def test_the_next_run_takes_over_from_a_dead_one_and_fails_its_row(
    sync_settings, emulator, make_contact
):
    # given: a run whose process died; its lease has run out
    make_contact("left@example.com")
    dead = _running_elsewhere(holder_expires_in=-1)
    # when
    run = run_cycle()
    # then
    assert run.status == RunStatus.SUCCEEDED
    assert emulator.store.count("Lead") == 1
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert dead.finished_at is not None
    assert "stopped" in dead.error
    assert f"run {run.pk}" in dead.error


@pytest.mark.django_db
def test_sync_now_ends_a_dead_run_without_a_qcluster(admin_client, settings):
    # given: a run that stopped beating longer ago than the lease lasts
    settings.SALESFORCE_SYNC_LEASE_SECONDS = 60
    dead = SyncRunFactory(status=RunStatus.RUNNING,
                          heartbeat_at=timezone.now() - timedelta(seconds=61))  # fmt: skip
    alive = SyncRunFactory(status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    # when
    admin_client.post(reverse("admin:integrations_syncrun_sync_now"))
    # then
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert alive.status == RunStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_the_lease_of_a_run_busy_with_one_long_step(settings):
    # given: a short lease
    settings.SALESFORCE_SYNC_LEASE_SECONDS = 0.6
    settings.SALESFORCE_SYNC_HEARTBEAT_SECONDS = 0.1
    run = SyncRunFactory()
    run.start()
    holder = lease_acquire(run=run)
    started_beating = run.heartbeat_at
    # when: the run is busy longer than the lease lasts, without any progress
    with Heartbeat(run=run, holder=holder):
        time.sleep(1.5)
        taken = lease_acquire()
    # then: nobody took the lease, and the run's heartbeat moved on
    assert taken is None
    run.refresh_from_db()
    assert run.heartbeat_at > started_beating + timedelta(seconds=1)
    lease_release(holder=holder)


@pytest.mark.django_db
def test_a_run_that_lost_its_lease_stops_at_its_next_step(sync_settings):
    # given: a run whose lease another run took over while it was stalled
    run = salesforce_sync_create()
    holder = lease_acquire(run=run)
    SyncLease.objects.update(holder="someone else")
    cycle = Cycle(settings=sync_settings, client=None, recorder=None, holder=holder)
    # when / then: its next step notices and stops
    with pytest.raises(LeaseLostError):
        cycle.advance(1)
