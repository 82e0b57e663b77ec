"""Console section: sync runs (with live progress and "Sync now") and sync errors (with retry)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from integrations.admin.display import duration_text, short_text, time_text
from integrations.admin.health import SyncHealthViews
from integrations.choices import EventStatus, RunStatus
from integrations.models import SyncRun
from integrations.services.retry import sync_events_retry
from integrations.services.sync import salesforce_sync_enqueue
from integrations.sync.recorder import COUNT_NAMES
from tracking.models import SyncEvent
from tracking.views.history import HISTORY_MODELS

# The history page's URL slug of each synced model ("contacts", ...).
HISTORY_SLUGS = {model: slug for slug, model in HISTORY_MODELS.items()}


def progress_bar(run: SyncRun) -> str:
    return format_html(
        '<div class="crmb-progress" title="{} of {}"><span style="width:{}%"></span></div>'
        "<small>{}%{}</small>",
        run.done, run.total, run.progress_percent, run.progress_percent,
        f" · {run.phase}" if run.phase and not run.is_finished else "",
    )  # fmt: skip


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "trigger", "started", "took", "progress", "records",
                    "api_calls", "error_text", "events"]  # fmt: skip
    list_filter = ["status", "lane", "trigger"]
    change_list_template = "admin/integrations/syncrun/change_list.html"
    change_form_template = "admin/integrations/syncrun/change_form.html"
    readonly_fields = ["status", "lane", "trigger", "created", "started", "finished", "took",
                       "phase", "progress", "records", "api_calls", "error", "hint",
                       "events"]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="progress")
    def progress(self, run: SyncRun) -> str:
        return progress_bar(run)

    @admin.display(description="records")
    def records(self, run: SyncRun) -> str:
        """Per object, the counts that are not zero: "Lead: created 3, errors 1"."""
        lines = [
            f"{name}: " + ", ".join(f"{key} {counts[key]}" for key in COUNT_NAMES
                                   if counts.get(key))
            for name, counts in sorted(run.counts.items())
            if any(counts.get(key) for key in COUNT_NAMES)
        ]  # fmt: skip
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "—"

    @admin.display(description="created", ordering="created_at")
    def created(self, run: SyncRun) -> str:
        return time_text(run.created_at)

    @admin.display(description="started", ordering="started_at")
    def started(self, run: SyncRun) -> str:
        return time_text(run.started_at)

    @admin.display(description="finished", ordering="finished_at")
    def finished(self, run: SyncRun) -> str:
        return time_text(run.finished_at)

    @admin.display(description="duration")
    def took(self, run: SyncRun) -> str:
        return duration_text(run.duration)

    @admin.display(description="error")
    def error_text(self, run: SyncRun) -> str:
        return short_text(run.error, limit=80) if run.error else "—"

    @admin.display(description="events")
    def events(self, run: SyncRun) -> str:
        url = f"{reverse('admin:tracking_syncevent_changelist')}?run__exact={run.pk}"
        return format_html('<a href="{}">events</a>', url)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        unfinished = SyncRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING])
        context = {"refresh": unfinished.exists(), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_urls(self):
        return [
            path("sync-now/", self.admin_site.admin_view(self.sync_now_view),
                 name="integrations_syncrun_sync_now"),
            *super().get_urls(),
        ]  # fmt: skip

    @method_decorator(require_POST)
    def sync_now_view(self, request):
        if not request.user.has_perm("integrations.add_syncrun"):
            raise PermissionDenied
        run = salesforce_sync_enqueue()
        self.log_addition(request, run, "Sync now")
        messages.success(request, f"Sync run {run.pk} queued; its progress shows below.")
        return redirect(reverse("admin:integrations_syncrun_changelist"))


@admin.register(SyncEvent)
class SyncEventAdmin(SyncHealthViews, admin.ModelAdmin):
    list_display = ["when", "record_link", "what", "salesforce", "error_code", "hint_text"]
    list_filter = ["status", "direction", "operation", "salesforce_object"]
    list_select_related = ["content_type"]
    search_fields = ["salesforce_id", "error_code", "error_message"]
    actions = ["retry"]

    def get_urls(self):
        return [*self.health_urls(), *super().get_urls()]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    @admin.display(description="when", ordering="created_at")
    def when(self, event: SyncEvent) -> str:
        return time_text(event.created_at)

    @admin.display(description="record")
    def record_link(self, event: SyncEvent) -> str:
        """The record by its name (or email), linked to its history page."""
        record = event.record
        name = str(record) if record is not None else (
            f"{event.content_type.model} {event.object_id} (deleted)"
        )  # fmt: skip
        slug = HISTORY_SLUGS.get(event.content_type.model_class())
        if slug is None:
            return name
        url = reverse("records:history", args=[slug, event.object_id])
        return format_html('<a href="{}">{}</a>', url, name)

    @admin.display(description="what", ordering="operation")
    def what(self, event: SyncEvent) -> str:
        """Direction, operation and, unless it went well, the status."""
        shown = event.status in (EventStatus.OK, event.operation)  # "Error (Error)" says nothing
        status = "" if shown else f" ({event.get_status_display()})"
        return f"{event.get_direction_display()}: {event.get_operation_display()}{status}"

    @admin.display(description="Salesforce", ordering="salesforce_object")
    def salesforce(self, event: SyncEvent) -> str:
        return f"{event.salesforce_object} {event.salesforce_id}".strip() or "—"

    @admin.display(description="hint")
    def hint_text(self, event: SyncEvent) -> str:
        return short_text(event.hint, limit=60) if event.hint else "—"

    @admin.action(description="Retry the selected failed records")
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=EventStatus.ERROR).select_related("content_type"))
        run = sync_events_retry(events=failed)
        if run is None:
            self.message_user(request, "None of the selected events failed.", messages.WARNING)
            return
        self.message_user(request, f"{len(failed)} records will be sent again in run {run.pk}.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
