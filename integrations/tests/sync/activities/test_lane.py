"""The activities lane: its own lease (never behind a long contact sync), pushes on every
committed write, and nothing lost when a push is turned away."""

import django_q.tasks
import pytest
from django.utils import timezone

from integrations.choices import Lane
from integrations.models import SyncRun
from integrations.services import unresolved
from integrations.services.activities_push import salesforce_activities_push
from integrations.sync.handlers import activity_base
from integrations.sync.lease import (
    ACTIVITIES,
    NAME,
    lease_acquire,
    lease_current,
    lease_release,
    leases_renew,
)
from integrations.tests.sync.helpers import run_cycle
from tracking.models import Link
from tracking.services.activities import links_upsert, visits_upsert
from tracking.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_visit(task_settings, emulator):
    emulator.store.insert("Contact", {"LastName": "Vogel", "Email": "ada@vogel.example"})
    return VisitFactory(visitor_email="ada@vogel.example", local_modified_at=timezone.now(),
                        link__account_name="")  # fmt: skip


def test_the_lane_pushes_while_a_full_sync_holds_its_lease(known_visit, tasks):
    assert lease_acquire(name=NAME)  # a long contact sync is running

    (run,) = salesforce_activities_push()

    assert run.lane == Lane.ACTIVITIES
    assert len(tasks()) == 1


def test_a_push_turned_away_by_the_lease_leaves_the_work_to_the_holder(known_visit, tasks):
    holder = lease_acquire(name=ACTIVITIES)

    assert salesforce_activities_push() == []  # the holder looks again once it lets go
    assert tasks() == []

    lease_release(holder=holder, name=ACTIVITIES)
    salesforce_activities_push()
    assert len(tasks()) == 1


def test_a_full_cycle_takes_the_activities_lease_and_gives_it_back(known_visit, tasks):
    run_cycle()

    assert len(tasks()) == 1
    assert lease_current(name=ACTIVITIES).holder == ""


def test_a_full_cycle_leaves_activities_to_a_push_holding_their_lease(
    known_visit, tasks, monkeypatch
):
    monkeypatch.setattr(activity_base, "LEASE_WAIT_SECONDS", 0.2)
    lease_acquire(name=ACTIVITIES)

    run = run_cycle()

    assert tasks() == []
    assert run.counts["visit"]["skipped"] == 1


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks handed to the task cluster (whichever broker runs: ORM or Redis)."""
    calls = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda func, **_: calls.append(func))
    return calls


DECK = {"external_id": "l1", "kind": "document", "name": "Deck",
        "url": "https://docs.example.com/d/1"}  # fmt: skip


def test_a_committed_post_enqueues_a_push(
    task_settings, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        links_upsert(items=[DECK])
    assert enqueued == []  # not before the commit

    for callback in callbacks:
        callback()

    assert Link.objects.count() == 1
    assert enqueued == ["integrations.tasks.salesforce_activities_push_task"]


def test_nothing_is_enqueued_while_task_sync_is_off(
    sync_settings, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        links_upsert(items=[DECK])

    assert enqueued == []


def test_nothing_due_makes_no_run(task_settings):
    assert salesforce_activities_push() == []
    assert not SyncRun.objects.filter(lane=Lane.ACTIVITIES).exists()


def test_a_full_sync_starting_leaves_a_running_activities_push_alone(known_visit):
    pushing = SyncRun.objects.create(trigger="event", lane=Lane.ACTIVITIES)
    pushing.start()

    run_cycle()

    pushing.refresh_from_db()
    assert pushing.status == "running"


def test_a_progress_post_not_due_yet_enqueues_nothing(
    known_visit, enqueued, django_capture_on_commit_callbacks
):
    salesforce_activities_push()  # written when it started
    item = {"external_id": known_visit.external_id, "link_id": known_visit.link.external_id,
            "visitor_email": "ada@vogel.example", "started_at": known_visit.started_at,
            "duration_seconds": 200}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        visits_upsert(items=[item])
    assert enqueued == []  # within its 10 minutes

    with django_capture_on_commit_callbacks(execute=True):
        visits_upsert(items=[{**item, "ended": True}])
    assert enqueued == ["integrations.tasks.salesforce_activities_push_task"]


def test_a_manual_match_waits_for_a_push_holding_the_activities_lease(
    known_visit, admin_user, emulator, monkeypatch
):
    known_visit.unresolved_since = timezone.now()
    known_visit.save()
    contact_id = emulator.store.all("Contact")[0]["Id"]
    monkeypatch.setattr(unresolved, "MATCH_WAIT_SECONDS", 0.3)
    holder = lease_acquire(name=ACTIVITIES)

    with pytest.raises(unresolved.ManualMatchError, match="being written to Salesforce"):
        unresolved.activity_match_manual(record=known_visit, salesforce_object="Contact",
                                         salesforce_id=contact_id, user=admin_user)  # fmt: skip
    known_visit.refresh_from_db()
    assert known_visit.unresolved_since is not None  # nothing changed

    lease_release(holder=holder, name=ACTIVITIES)
    unresolved.activity_match_manual(record=known_visit, salesforce_object="Contact",
                                     salesforce_id=contact_id, user=admin_user)  # fmt: skip
    known_visit.refresh_from_db()
    assert known_visit.unresolved_since is None


def test_a_broker_that_cannot_take_the_push_never_fails_the_post(
    task_settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(func, **_):
        raise ConnectionError("broker down")

    monkeypatch.setattr(django_q.tasks, "async_task", broken)

    with django_capture_on_commit_callbacks(execute=True):
        links_upsert(items=[DECK])

    assert Link.objects.count() == 1
    assert "Could not enqueue the activities push" in caplog.text


def test_a_full_run_that_held_the_activities_lease_asks_for_a_push_after(
    known_visit, enqueued, monkeypatch
):
    monkeypatch.setattr(activity_base, "LEASE_WAIT_SECONDS", 0.2)
    holder = lease_acquire(name=ACTIVITIES)  # a push is running: the full run's handlers skip
    run_cycle()
    assert enqueued == ["integrations.tasks.salesforce_activities_push_task"]
    lease_release(holder=holder, name=ACTIVITIES)


def test_the_heartbeat_renews_the_activities_lease_a_full_run_holds(task_settings):
    run = SyncRun.objects.create(trigger="manual")
    holder = lease_acquire(run=run)
    assert lease_acquire(holder=holder, name=ACTIVITIES)
    before = lease_current(name=ACTIVITIES).expires_at

    renewed = leases_renew(holder=holder)  # what each beat of the run's heartbeat does

    assert renewed == {NAME, ACTIVITIES}
    assert lease_current(name=ACTIVITIES).expires_at > before
