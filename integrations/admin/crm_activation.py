"""“CRM sync for the whole team” on the connection page: group activation and deactivation.

Deactivation with “delete all previously imported CRM data” ticked first shows a
confirmation page with what will be deleted and kept; confirmed, it starts the purge and
sends the admin to the purge's progress. Each view follows Django's UserAdmin pattern:
permission check, one service call, a message, a log entry, a redirect.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from integrations.choices import PURGE_TERMINAL_STATUSES
from integrations.exceptions import CrmActivationError
from integrations.models import CrmDataPurge, Seat
from integrations.services.crm_activation import (
    NO_SEAT_HOLDERS_HINT,
    crm_sync_activate,
    crm_sync_deactivate,
    purge_counts,
    seat_holders_with_crm_sync,
)

SECTION = "#crm-sync-group"
SETTINGS_PERMISSION = "integrations.change_syncsettings"
PURGE_PERMISSION = "integrations.add_crmdatapurge"


class DeactivateForm(forms.Form):
    purge = forms.BooleanField(required=False, label="Delete all previously imported CRM data")
    confirmed = forms.BooleanField(required=False)


class CrmActivationViews:
    """Views for the connection page's `SingletonAdmin`: its URLs come from
    `crm_activation_urls`, and the page's context gets `crm_activation_context`."""

    def crm_activation_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("activate/", view(self.activate_view), name=self._name("activate")),
            path("deactivate/", view(self.deactivate_view), name=self._name("deactivate")),
        ]

    def crm_activation_context(self) -> dict:
        unfinished = CrmDataPurge.objects.exclude(status__in=PURGE_TERMINAL_STATUSES)
        return {
            "crm_sync_group": {
                "seats": Seat.objects.count(),
                "seat_holders": seat_holders_with_crm_sync(),
                "purge": unfinished.first(),
            }
        }

    @method_decorator(require_POST)
    def activate_view(self, request):
        self._require_crm_sync_permission(request)
        try:
            activation = crm_sync_activate()
        except CrmActivationError as error:
            messages.error(request, f"CRM sync was not activated: {error} {error.hint}")
            return self._back_to_group(needs_connection=error.needs_connection)
        self._log(request, f"Activated CRM sync (first import: sync run {activation.run.pk})")
        messages.success(
            request,
            f"CRM sync is on for {activation.seat_holders} of {activation.seats} seat holders. "
            f"The first import is sync run {activation.run.pk}; its progress shows below.",
        )
        if not activation.seat_holders:
            messages.warning(request, NO_SEAT_HOLDERS_HINT)
        return redirect(reverse("admin:integrations_syncrun_change", args=[activation.run.pk]))

    @method_decorator(require_POST)
    def deactivate_view(self, request):
        self._require_crm_sync_permission(request)
        form = DeactivateForm(request.POST)
        form.is_valid()  # two optional checkboxes: any input is valid
        purge = form.cleaned_data["purge"]
        if purge and not request.user.has_perm(PURGE_PERMISSION):
            raise PermissionDenied
        if purge and not form.cleaned_data["confirmed"]:
            return self._confirm_response(request)
        deactivation = crm_sync_deactivate(purge=purge, user=request.user)
        seats = f"CRM sync is off for all {deactivation.seats} seats and the sync is stopped."
        if deactivation.purge is None:
            self._log(request, "Deactivated CRM sync")
            messages.success(request, f"{seats} No data was deleted.")
            return self._back_to_group()
        self._log(request, f"Deactivated CRM sync and started {deactivation.purge}")
        messages.success(
            request,
            f"{seats} CRM data purge {deactivation.purge.pk} deletes the imported records and "
            "unlinks those created here; its progress shows below.",
        )
        return redirect(
            reverse("admin:integrations_crmdatapurge_change", args=[deactivation.purge.pk])
        )

    def _confirm_response(self, request):
        counts = purge_counts()
        context = {
            **self.admin_site.each_context(request),
            "title": "Deactivate CRM sync and delete imported CRM data?",
            "opts": self.model._meta,
            "counts": counts,
            "total_delete": sum(count.delete for count in counts),
            "total_keep": sum(count.keep for count in counts),
            "seats": Seat.objects.count(),
            "cancel_url": self._url("change", self.model.load().pk) + SECTION,
        }
        return TemplateResponse(
            request, "admin/integrations/salesforceconnection/deactivate_confirm.html", context
        )

    def _require_crm_sync_permission(self, request) -> None:
        self._require_change_permission(request)
        if not request.user.has_perm(SETTINGS_PERMISSION):
            raise PermissionDenied

    def _back_to_group(self, *, needs_connection: bool = False):
        """The connection page: at this section, or at the credentials to connect first."""
        anchor = "#connection-status" if needs_connection else SECTION
        return redirect(self._url("change", self.model.load().pk) + anchor)
