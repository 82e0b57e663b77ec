"""A settings page for a singleton model (one row): no list, no add, no delete."""

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from integrations.models.singleton import SINGLETON_PK


class SingletonAdmin(admin.ModelAdmin):
    """The model must be a `SingletonModel` (`load()` returns the row, created on first use)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect(self._url("change", self.model.load().pk))

    def response_change(self, request, obj):
        return HttpResponseRedirect(self._url("change", obj.pk))

    def _name(self, view: str) -> str:
        """The admin URL name of one of this page's views, e.g. "change" or "preview"."""
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{view}"

    def _url(self, view: str, *args) -> str:
        return reverse(f"admin:{self._name(view)}", args=args)

    def _back_to_page(self) -> HttpResponseRedirect:
        """The redirect every custom view of the page ends with."""
        return redirect(self._url("change", SINGLETON_PK))

    def _require_change_permission(self, request) -> None:
        if not self.has_change_permission(request):
            raise PermissionDenied

    def _log(self, request, message: str) -> None:
        """A change entry in the admin's history of the row."""
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=self.model.objects.row(),
            action_flag=CHANGE,
            change_message=message,
            single_object=True,
        )
