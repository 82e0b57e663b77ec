"""Sync runs, errors with retry, and the dashboard in the settings console."""

import pytest
from django.urls import reverse
from django_q.brokers import get_broker
from django_q.signing import SignedPackage

from integrations.choices import EventStatus, Operation, RunStatus
from integrations.models import SyncRun
from integrations.tests.factories import SyncRunFactory
from tracking.models import SyncEvent
from tracking.tests.factories import ContactFactory, SyncEventFactory

pytestmark = pytest.mark.django_db


def test_sync_now_records_a_run_and_enqueues_it(admin_client, django_capture_on_commit_callbacks):
    # given: the configured broker (the database, or Redis with REDIS_URL)
    broker = get_broker()
    broker.purge_queue()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:integrations_syncrun_sync_now"), follow=True)
    # then
    run = SyncRun.objects.get()
    assert run.status == RunStatus.PENDING
    assert f"Sync run {run.pk} queued" in response.content.decode()
    task = SignedPackage.loads(broker.dequeue()[0][1])
    assert task["func"] == "integrations.tasks.salesforce_sync_task"
    assert task["kwargs"] == {"run_id": run.pk}
    broker.purge_queue()


def test_running_run_shows_a_live_progress_bar(admin_client):
    run = SyncRunFactory(status=RunStatus.RUNNING, total=200, done=50, phase="Sending contacts")
    listing = admin_client.get(reverse("admin:integrations_syncrun_changelist")).content.decode()
    detail = admin_client.get(
        reverse("admin:integrations_syncrun_change", args=[run.pk])
    ).content.decode()
    assert "width:25%" in listing
    assert 'http-equiv="refresh"' in listing
    assert "Sending contacts" in detail
    assert 'http-equiv="refresh"' in detail


def test_retry_action_resends_failed_records(admin_client, django_capture_on_commit_callbacks):
    contact = ContactFactory()
    failed = SyncEventFactory(
        record=contact,
        status=EventStatus.ERROR,
        operation=Operation.ERROR,
        error_code="UNABLE_TO_LOCK_ROW",
    )
    with django_capture_on_commit_callbacks() as callbacks:  # the enqueue, not run here
        admin_client.post(
            reverse("admin:tracking_syncevent_changelist"),
            {"action": "retry", "_selected_action": [failed.pk]},
        )
    assert len(callbacks) == 1
    failed.refresh_from_db()
    contact.refresh_from_db()
    assert failed.status == EventStatus.RETRIED
    assert contact.local_modified_at is not None
    assert SyncRun.objects.filter(status=RunStatus.PENDING).count() == 1


def test_dashboard_shows_connection_usage_and_throughput(admin_client, connection):
    SyncEventFactory()
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="crm-dashboard"' in html
    assert "Connected to Salesforce as" in html
    assert "Records synced per hour" in html
    assert 'role="progressbar"' in html


def test_event_list_links_to_the_history_page(admin_client):
    event = SyncEventFactory(status=EventStatus.ERROR, operation=Operation.ERROR)
    html = admin_client.get(reverse("admin:tracking_syncevent_changelist")).content.decode()
    assert f"/records/contacts/{event.object_id}/history/" in html
    assert SyncEvent.objects.count() == 1
