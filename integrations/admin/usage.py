"""Console section: API usage per hour (read-only; rows are written by the client)."""

from django.contrib import admin

from integrations.models import ApiUsageHour


@admin.register(ApiUsageHour)
class ApiUsageHourAdmin(admin.ModelAdmin):
    list_display = ["hour", "calls", "errors"]
    date_hierarchy = "hour"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
