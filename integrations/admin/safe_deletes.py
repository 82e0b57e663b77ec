"""Console sections of safe deletes: the mass-delete brake (confirm or cancel what it holds)
and the quarantine (restore a deleted contact with its Salesforce link, days left).

Both are read only; their buttons and actions check the permission, call one service, say
what happened and leave a log entry.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from integrations.admin.display import time_text
from integrations.choices import BrakeStatus
from integrations.models import DeleteBrake, QuarantinedRecord, SalesforceConnection
from integrations.selectors import DELETE_BRAKE_URL, delete_brake_sample
from integrations.services.safe_deletes import (
    BrakeDecidedError,
    delete_brake_cancel,
    delete_brake_confirm,
    quarantined_record_restore,
)
from integrations.sync.quarantine import RestoreError
from tracking.admin.base import ReadOnlyAdminMixin


@admin.register(DeleteBrake)
class DeleteBrakeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "status", "created", "tripped_count", "threshold", "linked_count",
                    "still_held", "decided"]  # fmt: skip
    list_filter = ["status"]
    fields = readonly_fields = ["status", "created", "run", "tripped_count", "threshold",
                                "linked_count", "still_held", "decided"]  # fmt: skip
    change_form_template = "admin/integrations/deletebrake/change_form.html"

    @admin.display(description="created", ordering="created_at")
    def created(self, brake: DeleteBrake) -> str:
        return time_text(brake.created_at)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(held_count=Count("held"))

    @admin.display(description="held now", ordering="held_count")
    def still_held(self, brake: DeleteBrake) -> int:
        return brake.held_count

    @admin.display(description="decided")
    def decided(self, brake: DeleteBrake) -> str:
        if brake.decided_at is None:
            return "—"
        who = brake.decided_by.get_username() if brake.decided_by else "someone since removed"
        return f"{time_text(brake.decided_at)} by {who}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        brake = get_object_or_404(DeleteBrake, pk=object_id)
        held = brake.held.aggregate(count=Count("id"), upto=Max("id"))
        context = {
            "brake": brake,
            "held_count": held["count"],
            "upto": held["upto"] or 0,  # the decision covers what this page shows
            "holding": brake.status == BrakeStatus.HOLDING,
            "may_decide": self._may_decide(request),
            "sample": _sample_rows(delete_brake_sample(brake=brake)),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/confirm/", view(self.confirm_view),
                 name="integrations_deletebrake_confirm"),
            path("<int:object_id>/cancel/", view(self.cancel_view),
                 name="integrations_deletebrake_cancel"),
            *super().get_urls(),
        ]  # fmt: skip

    @method_decorator(require_POST)
    def confirm_view(self, request, object_id):
        return self._decide(request, object_id, delete_brake_confirm,
                            "{} contacts deleted into quarantine.")  # fmt: skip

    @method_decorator(require_POST)
    def cancel_view(self, request, object_id):
        return self._decide(request, object_id, delete_brake_cancel,
                            "Nothing deleted: {} contacts kept, unlinked and marked deleted "
                            "in Salesforce.")  # fmt: skip

    def _decide(self, request, object_id, service, done: str):
        if not self._may_decide(request):
            raise PermissionDenied
        brake = get_object_or_404(DeleteBrake, pk=object_id)
        try:
            upto = int(request.POST["upto"])
        except (KeyError, ValueError):
            messages.error(request, "Nothing decided: look at what the brake holds again.")
            return redirect(reverse(DELETE_BRAKE_URL, args=[brake.pk]))
        try:
            decided = service(brake=brake, user=request.user, upto=upto)
        except BrakeDecidedError as error:
            messages.error(request, str(error))
        else:
            self.log_change(
                request, brake, f"{brake.get_status_display()} ({decided.records} records)"
            )
            messages.success(request, done.format(decided.records))
            if decided.later:
                messages.warning(
                    request,
                    f"{decided.later} more deletion{pluralize(decided.later)} arrived after "
                    "the page was shown: not decided, held by a new brake.",
                )
        return redirect(reverse(DELETE_BRAKE_URL, args=[brake.pk]))

    def _may_decide(self, request) -> bool:
        return request.user.has_perm("integrations.change_deletebrake")


def _sample_rows(items: list) -> list[dict]:
    """The held deletions as the brake's page lists them: the record (linked) and its id;
    the records read with one query per model."""
    by_type = defaultdict(list)
    for item in items:
        by_type[item.content_type_id].append(item.object_id)
    records = {
        content_type_id: ContentType.objects.get_for_id(content_type_id)
        .model_class()
        .objects.in_bulk(ids)
        for content_type_id, ids in by_type.items()
    }
    return [_sample_row(item, records[item.content_type_id].get(item.object_id)) for item in items]


def _sample_row(item, record) -> dict:
    meta = ContentType.objects.get_for_id(item.content_type_id).model_class()._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.object_id])
    return {
        "label": str(record) if record else f"#{item.object_id}",
        "url": url,
        "salesforce_object": item.salesforce_object,
        "salesforce_id": item.salesforce_id,
    }


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["label", "salesforce_object", "salesforce_id", "deleted", "days_left"]
    list_filter = ["salesforce_object"]
    search_fields = ["label", "salesforce_id"]
    fields = readonly_fields = ["label", "salesforce_object", "salesforce_link", "deleted",
                                "days_left", "run"]  # fmt: skip
    actions = ["restore"]

    @admin.display(description="Salesforce id")
    def salesforce_link(self, entry: QuarantinedRecord) -> str:
        """The id linked to the record in Salesforce (on the entry's page: one lookup)."""
        instance = SalesforceConnection.load().instance_url
        if not instance:
            return entry.salesforce_id
        return format_html('<a href="{}/{}" target="_blank" rel="noopener">{}</a>',
                           instance, entry.salesforce_id, entry.salesforce_id)  # fmt: skip

    @admin.display(description="deleted", ordering="deleted_at")
    def deleted(self, entry: QuarantinedRecord) -> str:
        return time_text(entry.deleted_at)

    @admin.display(description="days left", ordering="purge_after")
    def days_left(self, entry: QuarantinedRecord) -> str:
        left = entry.purge_after - timezone.now()
        if left.total_seconds() <= 0:
            return "purged within the hour"
        return f"{left.days} day{'s' if left.days != 1 else ''}" if left.days else "under a day"

    @admin.action(description="Restore with their Salesforce link", permissions=["restore"])
    def restore(self, request, queryset):
        restored = 0
        for entry in queryset:
            try:
                record = quarantined_record_restore(entry=entry, user=request.user)
            except RestoreError as error:
                messages.error(request, f"{entry.label} cannot be restored: {error}")
                continue
            self.log_addition(request, record, "Restored from quarantine")
            restored += 1
        if restored:
            messages.success(request, f"{restored} record{'s' if restored != 1 else ''} "
                             "restored with their Salesforce link.")  # fmt: skip

    def has_restore_permission(self, request) -> bool:
        return request.user.has_perm("integrations.change_quarantinedrecord")
