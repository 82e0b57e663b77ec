"""Console section: sync previews (dry runs) with live progress, their report and its CSV.

"Preview the sync" (this list, linked from the dashboard and the sync settings page) runs a
preview of the saved settings; the settings page's "Preview these settings" runs one of the
proposed ones without saving them (`sync_settings.py`). A preview's page is its report: per
object and direction what the cycle would do, why it would skip, what Salesforce would
refuse, a sample of each outcome and every planned item as CSV. All of it is read from the
preview's row (the items only for the CSV, streamed), so the page makes no query per item.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from integrations.admin.display import duration_text, short_text, time_text
from integrations.admin.runs import progress_bar
from integrations.choices import RunStatus
from integrations.models import PreviewOutcome, SyncPreview
from integrations.services.sync_preview import (
    sync_preview_csv_lines,
    sync_preview_enqueue,
    sync_preview_fail_dead,
)
from integrations.sync.recorder import COUNT_NAMES

# The report's columns: a run's counter names, "errors" shown as what they are here.
COLUMNS = [(name, "rejected" if name == "errors" else name) for name in COUNT_NAMES]
SAMPLED = [outcome for outcome, _ in PreviewOutcome.choices]


@admin.register(SyncPreview)
class SyncPreviewAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "what", "asked", "requested_by", "progress", "calls",
                    "error_text"]  # fmt: skip
    list_select_related = ["requested_by"]
    change_list_template = "admin/integrations/syncpreview/change_list.html"
    change_form_template = "admin/integrations/syncpreview/change_form.html"
    fields = ["status", "what", "requested_by", "asked", "took", "progress", "calls",
              "error", "hint"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="settings")
    def what(self, preview: SyncPreview) -> str:
        return "proposed (not saved)" if preview.proposed else "saved"

    @admin.display(description="asked", ordering="created_at")
    def asked(self, preview: SyncPreview) -> str:
        return time_text(preview.created_at)

    @admin.display(description="duration")
    def took(self, preview: SyncPreview) -> str:
        if preview.started_at and preview.finished_at:
            return duration_text(preview.finished_at - preview.started_at)
        return "—"

    @admin.display(description="progress")
    def progress(self, preview: SyncPreview) -> str:
        return progress_bar(preview)

    @admin.display(description="API calls (reads)")
    def calls(self, preview: SyncPreview) -> int:
        return preview.api_calls

    @admin.display(description="error")
    def error_text(self, preview: SyncPreview) -> str:
        return short_text(preview.error, limit=80) if preview.error else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        sync_preview_fail_dead()  # a dead preview shows as failed, not as under way
        unfinished = SyncPreview.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING])
        context = {"refresh": unfinished.exists(), **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sync_preview_fail_dead()
        preview = get_object_or_404(SyncPreview, pk=object_id)
        context = {"report": report_context(preview), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("start/", view(self.start_view), name="integrations_syncpreview_start"),
            path("<int:preview_id>/csv/", view(self.csv_view),
                 name="integrations_syncpreview_csv"),
            *super().get_urls(),
        ]  # fmt: skip

    @method_decorator(require_POST)
    def start_view(self, request):
        """Preview the saved settings (whether or not the master switch is on): it adds a
        preview, so it takes the add (or change) permission, not only view."""
        user = request.user
        if not (user.has_perm("integrations.add_syncpreview")
                or user.has_perm("integrations.change_syncpreview")):  # fmt: skip
            raise PermissionDenied
        preview = preview_start(request, log=self.log_addition, action="Preview the sync")
        return redirect(reverse("admin:integrations_syncpreview_change", args=[preview.pk]))

    def csv_view(self, request, preview_id: int):
        if not request.user.has_perm("integrations.view_syncpreview"):
            raise PermissionDenied
        preview = get_object_or_404(SyncPreview, pk=preview_id)
        response = StreamingHttpResponse(
            sync_preview_csv_lines(preview=preview), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="sync-preview-{preview.pk}.csv"'
        return response


def preview_start(
    request, *, log, action: str, settings_document: dict | None = None
) -> SyncPreview:
    """Enqueue a preview for the console user, saying so and logging it as `action` with
    the admin's `log_addition`; while one is under way, that one, and the message says so."""
    preview, queued = sync_preview_enqueue(
        requested_by=request.user, settings_document=settings_document
    )
    if queued:
        log(request, preview, action)
        messages.success(request, f"Preview {preview.pk} queued: nothing is written anywhere.")
    else:
        messages.warning(
            request, f"Preview {preview.pk} is under way (one at a time); its report shows here."
        )
    return preview


def report_context(preview: SyncPreview) -> dict:
    """The report's tables, from the preview's row alone."""
    rows = []
    for name in sorted(preview.directions or preview.counts):
        for direction, counts in sorted(preview.directions.get(name, {}).items(), reverse=True):
            rows.append({
                "object": name,
                "direction": "to Salesforce" if direction == "outbound" else "from Salesforce",
                "cells": [counts.get(key, 0) for key, _ in COLUMNS],
            })  # fmt: skip
    samples = [
        {"object": name, "outcome": outcome, "rows": by_outcome[outcome]}
        for name, by_outcome in sorted(preview.samples.items())
        for outcome in SAMPLED
        if by_outcome.get(outcome)
    ]
    reasons = [
        (name, reason, amount)
        for name, by_reason in sorted(preview.skip_reasons.items())
        for reason, amount in by_reason.items()
    ]
    local = [
        (model, ", ".join(f"{outcome} {amount}" for outcome, amount in writes.items()))
        for model, writes in sorted(preview.local_writes.items())
    ]
    return {"columns": [label for _, label in COLUMNS], "rows": rows, "samples": samples,
            "reasons": reasons, "local": local,
            "has_items": preview.items.exists()}  # fmt: skip
