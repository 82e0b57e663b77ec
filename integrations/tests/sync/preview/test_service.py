"""Running previews: enqueued once at a time, never while paused or beside another preview,
the CSV of every planned item, and a write a handler sends past the preview failing loudly."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import InclusionRule, SalesforceConnection, SyncPreview
from integrations.salesforce.client import ReadOnlyClientError
from integrations.services.settings import settings_export
from integrations.services.sync_preview import (
    CSV_COLUMNS,
    ITEMS_KEPT,
    LEASE,
    sync_preview_csv,
    sync_preview_enqueue,
    sync_preview_run,
)
from integrations.sync import handlers
from integrations.sync.handlers.base import Handler
from integrations.sync.lease import lease_acquire
from integrations.tasks import salesforce_sweep_task, sync_preview_task

pytestmark = pytest.mark.django_db


def test_enqueue_hands_the_preview_to_the_cluster_once(
    sync_settings, monkeypatch, django_capture_on_commit_callbacks, admin_user
):
    tasks = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: tasks.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        preview, queued = sync_preview_enqueue(requested_by=admin_user)
        again, queued_again = sync_preview_enqueue(requested_by=admin_user)
    assert (queued, again, queued_again) == (True, preview, False)  # one at a time
    assert tasks == [{"preview_id": preview.pk}]
    assert preview.requested_by == admin_user


def test_a_dead_or_forgotten_preview_does_not_block_the_next(sync_settings, monkeypatch):
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: None)
    hour_ago = timezone.now() - timedelta(hours=1)
    dead = SyncPreview.objects.create(status=RunStatus.RUNNING, heartbeat_at=hour_ago)
    forgotten = SyncPreview.objects.create()
    SyncPreview.objects.filter(pk=forgotten.pk).update(created_at=hour_ago)
    fresh, queued = sync_preview_enqueue()
    assert queued
    assert fresh not in (dead, forgotten)
    dead.refresh_from_db()
    forgotten.refresh_from_db()
    assert (dead.status, forgotten.status) == (RunStatus.FAILED, RunStatus.FAILED)
    assert "No task cluster started this preview" in forgotten.error


def test_the_task_runs_the_preview_once(sync_settings, emulator, make_contact):
    make_contact("ada@example.com")
    preview = SyncPreview.objects.create()
    assert sync_preview_task(preview.pk) == RunStatus.SUCCEEDED
    assert sync_preview_task(preview.pk) == RunStatus.SUCCEEDED  # re-delivered: not run again
    preview.refresh_from_db()
    assert preview.counts == {"Lead": {"created": 1}}
    assert preview.settings_document["new_record_type"] == "Lead"  # the saved ones it ran with
    assert preview.phase == "Done"
    assert preview.progress_percent == 100


def test_a_paused_connection_makes_no_calls_so_nothing_is_previewed(sync_settings, emulator):
    SalesforceConnection.load().pause(until=timezone.now() + timedelta(hours=1),
                                      code="REQUEST_LIMIT_EXCEEDED", message="Limit reached.",
                                      hint="Wait.")  # fmt: skip
    emulator.reset_stats()
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    assert preview.status == RunStatus.SKIPPED
    assert "paused connection makes no calls" in preview.error
    assert emulator.api_calls == 0


def test_no_preview_runs_beside_another(sync_settings, emulator):
    lease_acquire(name=LEASE)
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    assert preview.status == RunStatus.SKIPPED
    assert "Another preview is running" in preview.error


def test_the_csv_has_every_planned_item(sync_settings, emulator, make_contact):
    for index in range(3):
        make_contact(f"p{index}@example.com", title="Engineer")
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    out = io.StringIO()
    sync_preview_csv(preview=preview, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(row["object"], row["direction"], row["outcome"]) for row in rows] == [
        ("Lead", "outbound", "created")
    ] * 3
    assert "title" in rows[0]["fields"]


class CarelessHandler(Handler):
    """Writes with the client itself instead of through the cycle."""

    writes = ("Lead",)

    def push(self, cycle):
        cycle.client.save("insert", "Lead", [{"LastName": "X", "Company": "Y"}])


def test_a_write_past_the_preview_fails_loudly_and_reaches_nothing(
    sync_settings, emulator, monkeypatch
):
    monkeypatch.setattr(handlers, "HANDLERS", (CarelessHandler(),))
    preview = SyncPreview.objects.create()
    with pytest.raises(ReadOnlyClientError):
        sync_preview_run(preview=preview)
    preview.refresh_from_db()
    assert preview.status == RunStatus.FAILED
    assert "read-only client" in preview.error
    assert emulator.store.count("Lead") == 0


def test_proposed_rules_and_mappings_are_applied_in_memory_only(
    sync_settings, emulator, make_contact
):
    # given: saved settings send everyone with their title; proposed ones send SQLs only,
    # as Contacts, without the title mapping
    make_contact("sql@example.com", title="CTO", lifecycle_stage="salesqualifiedlead")
    make_contact("sub@example.com", title="Intern", lifecycle_stage="subscriber")
    document = settings_export()
    document.update(inclusion_mode="all", new_record_type="Contact", inclusion_rules=[
        {"field": "lifecycle_stage", "operator": "equals", "value": "salesqualifiedlead"}
    ])  # fmt: skip
    document["mappings"] = [m for m in document["mappings"] if m["salesforce_field"] != "Title"]
    saved = settings_export()
    # when
    preview = sync_preview_run(
        preview=SyncPreview.objects.create(proposed=True, settings_document=document)
    )
    # then
    assert preview.status == RunStatus.SUCCEEDED, preview.error
    assert preview.counts == {"Contact": {"created": 1, "skipped": 1}}
    (created,) = preview.items.filter(outcome="created")
    assert created.record == "Sql <sql@example.com>"
    assert "title" not in created.fields
    assert settings_export() == saved
    assert not InclusionRule.objects.exists()


def test_only_the_latest_previews_keep_their_items(sync_settings, emulator, make_contact):
    make_contact("ada@example.com")
    previews = [
        sync_preview_run(preview=SyncPreview.objects.create()) for _ in range(ITEMS_KEPT + 1)
    ]
    assert [preview.items.count() for preview in previews] == [0] + [1] * ITEMS_KEPT
    assert previews[0].counts == {"Lead": {"created": 1}}  # the report stays


def test_expiry_keeps_the_latest_finished_and_never_touches_a_running_one(
    sync_settings, emulator, make_contact
):
    make_contact("ada@example.com")
    running = SyncPreview.objects.create(status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    running.items.create(salesforce_object="Lead", direction="outbound", outcome="created")
    previews = [
        sync_preview_run(preview=SyncPreview.objects.create()) for _ in range(ITEMS_KEPT + 1)
    ]
    assert running.items.count() == 1
    assert [preview.items.count() for preview in previews] == [0] + [1] * ITEMS_KEPT


def test_the_sweep_fails_a_dead_preview(sync_settings):
    hour_ago = timezone.now() - timedelta(hours=1)
    dead = SyncPreview.objects.create(status=RunStatus.RUNNING, heartbeat_at=hour_ago)
    salesforce_sweep_task()
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED


def test_csv_cells_that_start_like_formulas_stay_text(sync_settings):
    preview = SyncPreview.objects.create(status=RunStatus.SUCCEEDED)
    for record in ('=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Ada"):
        preview.items.create(salesforce_object="Lead", direction="outbound",
                             outcome="created", record=record)  # fmt: skip
    out = io.StringIO()
    sync_preview_csv(preview=preview, out=out)
    records = [row["record"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert records == ["'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)", "'\t=1",
                       "'\r=1", "Ada"]  # fmt: skip
