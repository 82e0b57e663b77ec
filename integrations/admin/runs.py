"""Console section: sync runs (with live progress and "Sync now") and sync errors (with retry)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

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
    list_display = ["id", "status", "trigger", "created_at", "duration", "progress", "summary",
                    "api_calls", "error"]  # fmt: skip
    list_filter = ["status", "trigger"]
    change_list_template = "admin/integrations/syncrun/change_list.html"
    change_form_template = "admin/integrations/syncrun/change_form.html"
    readonly_fields = ["status", "trigger", "created_at", "started_at", "finished_at", "phase",
                       "progress", "summary", "api_calls", "error", "hint"]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="progress")
    def progress(self, run: SyncRun) -> str:
        return progress_bar(run)

    @admin.display(description=" / ".join(COUNT_NAMES))
    def summary(self, run: SyncRun) -> str:
        return "; ".join(
            f"{name}: " + " / ".join(str(counts.get(key, 0)) for key in COUNT_NAMES)
            for name, counts in sorted(run.counts.items())
        ) or "—"  # fmt: skip

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
    list_display = ["created_at", "record_link", "direction", "operation", "status",
                    "salesforce_object", "salesforce_id", "error_code", "hint"]  # fmt: skip
    list_filter = ["status", "direction", "operation", "salesforce_object"]
    list_select_related = ["content_type"]
    search_fields = ["salesforce_id", "error_code", "error_message"]
    actions = ["retry"]

    def get_urls(self):
        return [*self.health_urls(), *super().get_urls()]

    @admin.display(description="record")
    def record_link(self, event: SyncEvent) -> str:
        slug = HISTORY_SLUGS.get(event.content_type.model_class())
        if slug is None:
            return f"{event.content_type.model} {event.object_id}"
        url = reverse("records:history", args=[slug, event.object_id])
        return format_html('<a href="{}">{} {}</a>', url, event.content_type.model, event.object_id)

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
