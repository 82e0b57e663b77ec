"""Console section: seats (Sales Navigator's licences).

The seats list (email, role, CRM sync, Salesforce user, matched or why not, assigned at) with
the licence usage and bulk actions for CRM sync, and "Import Salesforce users": the org's
active Users, page by page, each with "Assign seat" and a role. Seats are assigned there (or
by email on the same page), never through a bare add form, so every seat is matched and
counted against the licences. Views follow Django's UserAdmin pattern: permission check, one
service call, a message, a log entry, a redirect.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from integrations.admin.display import time_text
from integrations.exceptions import SalesforceError
from integrations.models import Seat, SeatRole, SyncSettings
from integrations.services.seats import (
    SeatError,
    salesforce_users_list,
    seat_assign,
    seat_usage,
    seats_crm_sync_set,
    seats_rematch,
)

AUTO_SYNC_NOTE = "auto-sync is on: every seat syncs"
IMPORT_URL_NAME = "integrations_seat_import_users"
PER_PAGE = 25


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


class AssignForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=SeatRole.choices, initial=SeatRole.MEMBER)
    page = forms.IntegerField(min_value=1, required=False)


def _failure(error: Exception) -> str:
    hint = getattr(error, "hint", "")
    return f"{error} {hint}".strip()


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "crm_sync_state", "salesforce_user", "match", "assigned"]
    list_filter = ["role", "crm_sync", "salesforce_active"]
    search_fields = ["user__email", "salesforce_username"]
    list_select_related = ["user"]
    actions = ["enable_crm_sync", "disable_crm_sync", "match_again"]
    change_list_template = "admin/integrations/seat/change_list.html"
    fields = ["email", "role", "crm_sync", "salesforce_user", "match", "assigned"]
    readonly_fields = ["email", "salesforce_user", "match", "assigned"]

    def has_add_permission(self, request) -> bool:
        return False  # seats are assigned on "Import Salesforce users"

    @admin.display(description="email", ordering="user__email")
    def email(self, seat: Seat) -> str:
        return seat.user.email

    @admin.display(description="CRM sync", ordering="crm_sync")
    def crm_sync_state(self, seat: Seat) -> str:
        own = "on" if seat.crm_sync else "off"
        if seat.auto_sync:
            return format_html('{} <span class="crmb-overridden" title="{}">(overridden)</span>',
                               own, AUTO_SYNC_NOTE)  # fmt: skip
        return own

    @admin.display(description="Salesforce user", ordering="salesforce_username")
    def salesforce_user(self, seat: Seat) -> str:
        if not seat.salesforce_user_id:
            return "—"
        return f"{seat.salesforce_username} ({seat.salesforce_user_id})"

    @admin.display(description="matched", ordering="salesforce_active")
    def match(self, seat: Seat) -> str:
        return "Matched" if seat.matched else f"Not matched: {seat.match_problem}"

    @admin.display(description="assigned at", ordering="assigned_at")
    def assigned(self, seat: Seat) -> str:
        return time_text(seat.assigned_at)

    # -- the list ---------------------------------------------------------------------------

    def get_queryset(self, request):
        """Each seat knows whether auto-sync overrides its own switch (for its column)."""
        auto_sync = SyncSettings.load().auto_sync_seat_holders
        return super().get_queryset(request).annotate(auto_sync=Value(auto_sync))

    def changelist_view(self, request, extra_context=None):
        context = {"usage": seat_usage(), "auto_sync_note": AUTO_SYNC_NOTE,
                   "auto_sync": SyncSettings.load().auto_sync_seat_holders,
                   **(extra_context or {})}  # fmt: skip
        return super().changelist_view(request, extra_context=context)

    @admin.action(description="Enable CRM sync", permissions=["change"])
    def enable_crm_sync(self, request, queryset):
        self._crm_sync_set(request, queryset, enabled=True)

    @admin.action(description="Disable CRM sync", permissions=["change"])
    def disable_crm_sync(self, request, queryset):
        self._crm_sync_set(request, queryset, enabled=False)

    def _crm_sync_set(self, request, queryset, *, enabled: bool) -> None:
        seats = list(queryset)
        changed = seats_crm_sync_set(seats=queryset, enabled=enabled)
        state = "on" if enabled else "off"
        for seat in seats:
            self.log_change(request, seat, f"CRM sync {state}")
        message = f"CRM sync is {state} for {len(seats)} seat{'s' if len(seats) != 1 else ''}"
        message += f" ({changed} changed)."
        if SyncSettings.load().auto_sync_seat_holders:
            message += f" Note: {AUTO_SYNC_NOTE}, whatever its own CRM sync says."
        messages.success(request, message)

    @admin.action(description="Match again with Salesforce users", permissions=["change"])
    def match_again(self, request, queryset):
        seats = list(queryset)
        try:
            matched = seats_rematch(seats=queryset)
        except SalesforceError as error:
            messages.error(request, f"Could not read the Salesforce users: {_failure(error)}")
            return
        for seat in seats:
            self.log_change(request, seat, "Matched again with Salesforce users")
        messages.success(request, f"{matched} of {len(seats)} seats are matched.")

    # -- "Import Salesforce users" --------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import-users/", view(self.import_users_view), name=IMPORT_URL_NAME),
            path("import-users/assign/", view(self.assign_view),
                 name=f"{IMPORT_URL_NAME}_assign"),
            *super().get_urls(),
        ]  # fmt: skip

    def _require_assign_permission(self, request) -> None:
        if not request.user.has_perm("integrations.add_seat"):
            raise PermissionDenied

    def import_users_view(self, request):
        self._require_assign_permission(request)
        form = PageForm(request.GET)
        page = (form.cleaned_data["page"] if form.is_valid() else None) or 1
        listed, error = None, "" if form.is_valid() else "Pages are numbered from 1."
        if not error:
            try:
                listed = salesforce_users_list(page=page, per_page=PER_PAGE)
            except (SeatError, SalesforceError) as failure:
                error = _failure(failure)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import Salesforce users",
            "opts": self.model._meta,
            "listed": listed,
            "error": error,
            "usage": seat_usage(),
            "roles": SeatRole.choices,
            "default_role": SeatRole.MEMBER,
            "assign_form": AssignForm(initial={"page": page}),
        }
        return TemplateResponse(request, "admin/integrations/seat/import_users.html", context)

    @method_decorator(require_POST)
    def assign_view(self, request):
        self._require_assign_permission(request)
        form = AssignForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(
                f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            messages.error(request, f"Assign seat: {problems}")
            return self._back_to_import(page=None)
        data = form.cleaned_data
        try:
            seat = seat_assign(email=data["email"], role=data["role"])
        except (SeatError, SalesforceError) as error:
            messages.error(
                request, f"Could not assign a seat to {data['email']}: {_failure(error)}"
            )
        else:
            self.log_addition(request, seat, f"Assigned a seat ({seat.get_role_display()})")
            state = "matched" if seat.matched else f"not matched: {seat.match_problem}"
            messages.success(
                request, f"Seat assigned to {seat.user.email} ({state}). {seat_usage()}."
            )
        return self._back_to_import(page=data.get("page"))

    @staticmethod
    def _back_to_import(*, page: int | None) -> HttpResponseRedirect:
        url = reverse(f"admin:{IMPORT_URL_NAME}")
        return HttpResponseRedirect(f"{url}?{urlencode({'page': page})}" if page else url)
