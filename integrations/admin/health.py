"""Console section: sync health (as in HubSpot's connector), on the sync events' admin.

The unresolved errors grouped by type (error code and Salesforce object), each with the
number of records affected, what it means and what to do (`salesforce.hints`), a link to
the affected records' events, and "retry all" for the group.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from integrations.choices import EventStatus
from integrations.selectors import sync_errors_by_type
from integrations.services.retry import sync_error_group_retry
from integrations.unresolved.items import unresolved_count

HEALTH_URL_NAME = "tracking_syncevent_health"


def affected_records_url(*, error_code: str, salesforce_object: str) -> str:
    """The sync events list, filtered to one group's errors."""
    query = urlencode(
        {"status__exact": EventStatus.ERROR, "error_code": error_code,
         "salesforce_object": salesforce_object}
    )  # fmt: skip
    return f"{reverse('admin:tracking_syncevent_changelist')}?{query}"


class SyncHealthViews:
    """Mixed into the sync events' ModelAdmin: the health page and its "retry all"."""

    def health_urls(self):
        view = self.admin_site.admin_view
        return [
            path("health/", view(self.health_view), name=HEALTH_URL_NAME),
            path("health/retry/", view(self.health_retry_view), name=f"{HEALTH_URL_NAME}_retry"),
        ]

    def health_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        groups = [
            (group, affected_records_url(error_code=group.error_code,
                                         salesforce_object=group.salesforce_object))
            for group in sync_errors_by_type()
        ]  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": "Sync health",
            "opts": self.model._meta,
            "groups": groups,
            "can_retry": request.user.has_perm("integrations.add_syncrun"),
            "unresolved_count": unresolved_count(),
        }
        return TemplateResponse(request, "admin/tracking/syncevent/health.html", context)

    @method_decorator(require_POST)
    def health_retry_view(self, request):
        if not request.user.has_perm("integrations.add_syncrun"):
            raise PermissionDenied
        code = request.POST.get("error_code", "")
        sobject = request.POST.get("salesforce_object", "")
        records, run = sync_error_group_retry(error_code=code, salesforce_object=sobject)
        where = f"{code or 'no error code'} on {sobject or 'no object'}"
        if run is None:
            messages.warning(request, f"No failed records with {where}: nothing to retry.")
        else:
            self.log_addition(request, run, f"Retry all: {where}")
            messages.success(
                request,
                f"{records} record{'s' if records != 1 else ''} with {where} will be sent again "
                f"in run {run.pk}.",
            )
        return redirect(reverse(f"admin:{HEALTH_URL_NAME}"))
