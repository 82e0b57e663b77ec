"""The console's sync previews: "Preview the sync", "Preview these settings" (unsaved), the
report page and its CSV; staff only, POST with CSRF, no query per item."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import InclusionRule, SyncPreview, SyncSettings
from integrations.services.sync_preview import sync_preview_run
from integrations.tests.test_settings_console import PAGE, page_data

pytestmark = pytest.mark.django_db

LIST = reverse("admin:integrations_syncpreview_changelist")
START = reverse("admin:integrations_syncpreview_start")


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def report_url(preview) -> str:
    return reverse("admin:integrations_syncpreview_change", args=[preview.pk])


def test_the_dashboard_and_the_settings_page_lead_to_the_previews(admin_client):
    home = admin_client.get(reverse("admin:index")).content.decode()
    settings_page = admin_client.get(PAGE).content.decode()
    assert f'href="{LIST}" id="dashboard-preview">Preview the sync' in home
    assert 'id="preview-these-settings"' in settings_page
    assert f'href="{LIST}" id="preview-the-sync"' in settings_page
    assert 'value="Preview the sync"' in admin_client.get(LIST).content.decode()


def test_preview_the_sync_queues_one_and_shows_its_page(
    admin_client, admin_user, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(START)
    preview = SyncPreview.objects.get()
    assert response["Location"] == report_url(preview)
    assert (preview.requested_by, preview.proposed) == (admin_user, False)
    assert queued == [{"preview_id": preview.pk}]
    page = admin_client.get(report_url(preview)).content.decode()
    assert 'id="preview-running"' in page
    assert 'http-equiv="refresh"' in page


def test_start_needs_post_and_staff(client, admin_client, django_user_model):
    assert admin_client.get(START).status_code == 405
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)
    assert client.post(START).status_code == 403
    assert not SyncPreview.objects.exists()


def test_start_needs_the_add_permission_not_only_view(client, django_user_model, queued):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_syncpreview"))
    client.force_login(user)
    assert client.post(START).status_code == 403
    assert client.get(LIST).status_code == 200
    user.user_permissions.add(Permission.objects.get(codename="add_syncpreview"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.post(START).status_code == 302
    assert SyncPreview.objects.exists()


def test_the_list_fails_a_dead_preview(admin_client):
    hour_ago = timezone.now() - timedelta(hours=1)
    dead = SyncPreview.objects.create(status=RunStatus.RUNNING, heartbeat_at=hour_ago)
    page = admin_client.get(LIST).content.decode()
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert 'http-equiv="refresh"' not in page


def test_the_report_shows_counts_samples_and_the_csv(
    admin_client, sync_settings, emulator, make_contact, django_assert_max_num_queries
):
    for index in range(30):
        make_contact(f"p{index}@example.com")
    make_contact("a" * 76 + "@x.io")  # Salesforce's Email holds 80 characters
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    with django_assert_max_num_queries(12):  # however many items: read from the row
        page = admin_client.get(report_url(preview)).content.decode()
    assert "Nothing was written" in page
    assert "<td>Lead</td><td>to Salesforce</td>" in page
    assert '<td class="num">30</td>' in page  # created
    assert "Lead: created" in page
    assert "(the first 20)" in page
    assert "STRING_TOO_LONG" in page
    response = admin_client.get(reverse("admin:integrations_syncpreview_csv", args=[preview.pk]))
    disposition = f'attachment; filename="sync-preview-{preview.pk}.csv"'
    assert response["Content-Disposition"] == disposition
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 31
    assert {row["outcome"] for row in rows} == {"created", "rejected"}


def test_preview_these_settings_runs_them_unsaved(
    admin_client, sync_settings, emulator, make_contact, queued, django_capture_on_commit_callbacks
):
    # given: the saved settings make Leads; the form proposes Contacts, sync on
    make_contact("ada@example.com")
    data = page_data(admin_client)
    data.update(new_record_type="Contact", _sync_preview="Preview these settings")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(PAGE, data)
    # then: a preview of the proposed settings, nothing saved, only the preview logged
    preview = SyncPreview.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == report_url(preview)
    assert preview.proposed
    assert preview.settings_document["new_record_type"] == "Contact"
    assert SyncSettings.load().new_record_type == "Lead"
    (entry,) = LogEntry.objects.all()  # the preview, no change of the settings
    assert (entry.get_edited_object(), entry.change_message) == (preview, "Preview these settings")
    # and run, it plans Contacts
    preview = sync_preview_run(preview=preview)
    assert preview.status == RunStatus.SUCCEEDED
    assert preview.counts == {"Contact": {"created": 1}}
    page = admin_client.get(report_url(preview)).content.decode()
    assert "the proposed settings, not saved" in page


def test_a_preview_with_nothing_planned_says_so_plainly(
    admin_client, sync_settings, emulator, make_contact
):
    # given: the one contact waiting is outside the inclusion list (a count, no item)
    sync_settings.inclusion_mode = "all"
    sync_settings.save()
    InclusionRule.objects.create(
        settings=sync_settings, field="lifecycle_stage", operator="equals", value="customer"
    )
    make_contact("left.out@example.com")
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    assert preview.skip_reasons["Contact"] == {"Not in the inclusion list.": 1}
    # when
    page = admin_client.get(report_url(preview)).content.decode()
    # then: no CSV, and no hint that one was thrown away
    assert "No planned items to download." in page
    assert "any more" not in page
