"""Console section: CRM data purges, each with its progress bar and what it deleted and kept.

Purges are started by a group deactivation (connection page) or `crm_sync deactivate
--purge`; here they are read only, and the pages refresh while one is unfinished.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from integrations.admin.display import duration_text, short_text, time_text
from integrations.admin.runs import progress_bar
from integrations.choices import PURGE_TERMINAL_STATUSES
from integrations.models import CrmDataPurge


def counts_text(purge: CrmDataPurge) -> str:
    """Per kind: "contacts: deleted 3 of 3, kept 2 (unlinked 2)"; kinds with nothing left out."""
    lines = []
    for kind, numbers in purge.counts.items():
        if not (numbers.get("to_delete") or numbers.get("to_keep")):
            continue
        parts = []
        if numbers.get("to_delete"):
            parts.append(f"deleted {numbers.get('deleted', 0)} of {numbers['to_delete']}")
        if numbers.get("to_keep"):
            parts.append(f"kept {numbers['to_keep']} (unlinked {numbers.get('unlinked', 0)})")
        lines.append(f"{kind}: {', '.join(parts)}")
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "—"


@admin.register(CrmDataPurge)
class CrmDataPurgeAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "who", "started", "took", "progress", "records", "error_text"]
    list_filter = ["status"]
    change_list_template = "admin/integrations/crmdatapurge/change_list.html"
    change_form_template = "admin/integrations/crmdatapurge/change_form.html"
    readonly_fields = ["status", "who", "created", "started", "finished", "took", "phase",
                       "progress", "records", "attempts", "error"]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="started by")
    def who(self, purge: CrmDataPurge) -> str:
        if purge.started_by is None:
            return "command line"
        return purge.started_by.email or purge.started_by.get_username()

    @admin.display(description="progress")
    def progress(self, purge: CrmDataPurge) -> str:
        return progress_bar(purge)

    @admin.display(description="records")
    def records(self, purge: CrmDataPurge) -> str:
        return counts_text(purge)

    @admin.display(description="created", ordering="created_at")
    def created(self, purge: CrmDataPurge) -> str:
        return time_text(purge.created_at)

    @admin.display(description="started", ordering="started_at")
    def started(self, purge: CrmDataPurge) -> str:
        return time_text(purge.started_at)

    @admin.display(description="finished", ordering="finished_at")
    def finished(self, purge: CrmDataPurge) -> str:
        return time_text(purge.finished_at)

    @admin.display(description="duration")
    def took(self, purge: CrmDataPurge) -> str:
        return duration_text(purge.duration)

    @admin.display(description="error")
    def error_text(self, purge: CrmDataPurge) -> str:
        return short_text(purge.error, limit=80) if purge.error else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was purged stays

    def changelist_view(self, request, extra_context=None):
        unfinished = CrmDataPurge.objects.exclude(status__in=PURGE_TERMINAL_STATUSES)
        context = {"refresh": unfinished.exists(), **(extra_context or {})}
        return super().changelist_view(request, context)
