"""The dashboard at the top of the settings console: connection, API usage, throughput,
and a mass deletion waiting for an admin."""

from django import template

from integrations.models import (
    ApiUsageHour,
    QuarantinedRecord,
    SalesforceConnection,
    SyncRun,
    SyncSettings,
)
from integrations.selectors import (
    api_usage_by_hour,
    delete_brake_holding,
    records_synced_by_hour,
    sync_errors_by_type,
)
from integrations.unresolved.items import unresolved_count

register = template.Library()


@register.inclusion_tag("admin/integrations/dashboard.html")
def crm_dashboard():
    error_groups = sync_errors_by_type()
    return {
        "error_groups": error_groups,
        "error_records": sum(group.records for group in error_groups),
        "connection": SalesforceConnection.load(),
        "sync_settings": SyncSettings.load(),
        "usage_hours": api_usage_by_hour(),
        "app_calls_24h": ApiUsageHour.calls_in_last_24h(),
        "synced_hours": records_synced_by_hour(),
        "recent_runs": SyncRun.objects.all()[:5],
        "unresolved_count": unresolved_count(),
        "delete_brake": delete_brake_holding(),
        "quarantined": QuarantinedRecord.objects.count(),
    }
