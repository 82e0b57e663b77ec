"""What every synced record's admin shares: the sync bookkeeping fields, the history link."""

from django.contrib import admin
from django.utils.html import format_html

from tracking.views.history import history_url

SYNC_FIELDS = [
    "origin",
    "salesforce_id",
    "salesforce_synced_at",
    "salesforce_modstamp",
    "local_modified_at",
    "deleted_in_salesforce",
    "sync_values",
    "created_at",
]


class HistoryLinkMixin:
    """A "Sync history" read-only field linking the change page to the record's history.

    Built from the primary key alone, so it costs no query (also if a list shows it).
    """

    @admin.display(description="Sync history")
    def history(self, record) -> str:
        if record.pk is None:
            return "-"
        return format_html(
            '<a href="{}">Every sync change of this {}</a>',
            history_url(record),
            record._meta.verbose_name,
        )


class ReadOnlyAdminMixin:
    """Records written elsewhere (Salesforce, the ingestion API): listed and shown, never
    added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
