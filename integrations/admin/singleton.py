"""A settings page for a singleton model (one row, pk=1): no list, no add, no delete."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse


class SingletonAdmin(admin.ModelAdmin):
    """The model must offer `load()`, returning the one row (created on first use)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        self.model.load()
        return redirect(self._url("change", 1))

    def response_change(self, request, obj):
        return HttpResponseRedirect(self._url("change", obj.pk))

    def _name(self, view: str) -> str:
        """The admin URL name of one of this page's views, e.g. "change" or "preview"."""
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{view}"

    def _url(self, view: str, *args) -> str:
        return reverse(f"admin:{self._name(view)}", args=args)
