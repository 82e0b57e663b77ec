"""One sync at a time, however many workers try."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection as db
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.sync.lease import lease_acquire, lease_release, lease_renew
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
