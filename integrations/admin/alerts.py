"""Console section: alerts, open and recently cleared (read-only; they clear themselves)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from integrations.admin.display import time_text
from integrations.models import Alert
from tracking.admin.base import ReadOnlyAdminMixin

# Cleared alerts older than this are left out of the list.
RECENT = timedelta(days=30)


class AlertStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("cleared", "Cleared")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(cleared_at__isnull=True)
        if self.value() == "cleared":
            return queryset.filter(cleared_at__isnull=False)
        return queryset


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "state", "raised", "cleared", "emailed", "what_to_do"]
    list_filter = [AlertStateFilter]
    search_fields = ["key", "title", "message"]
    readonly_fields = ["title", "key", "state", "message", "what_to_do", "raised", "cleared",
                       "emailed", "details"]  # fmt: skip
    fields = readonly_fields

    def get_queryset(self, request):
        recent = Q(cleared_at__isnull=True) | Q(cleared_at__gte=timezone.now() - RECENT)
        return super().get_queryset(request).filter(recent)

    @admin.display(description="state", ordering="cleared_at")
    def state(self, alert: Alert) -> str:
        return "Open" if alert.is_open else "Cleared"

    @admin.display(description="raised", ordering="raised_at")
    def raised(self, alert: Alert) -> str:
        return time_text(alert.raised_at)

    @admin.display(description="cleared", ordering="cleared_at")
    def cleared(self, alert: Alert) -> str:
        return time_text(alert.cleared_at)

    @admin.display(description="emailed", ordering="emailed_at")
    def emailed(self, alert: Alert) -> str:
        return time_text(alert.emailed_at)

    @admin.display(description="what to do")
    def what_to_do(self, alert: Alert) -> str:
        return format_html('<a href="{}">What to do</a>', alert.link)
