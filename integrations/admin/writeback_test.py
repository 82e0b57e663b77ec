"""“Test write-back” in the sync settings' Task sync section: create the test records in
Salesforce, show their "View in CRM" links, clean them up.

Each view follows Django's UserAdmin pattern: permission check, one service call, a message,
a log entry, a redirect back to the section.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from integrations.exceptions import SalesforceError
from integrations.selectors import writeback_tests
from integrations.services.writeback_tests import writeback_test_cleanup, writeback_test_create

SECTION = "#test-writeback"
LEFT_OVER = "Anything it created is recorded: “Clean up” deletes it."


class OwnerEmailForm(forms.Form):
    owner_email = forms.EmailField(required=False)


class WriteBackTestViews:
    """Views for a `SingletonAdmin`: its URLs come from `writeback_test_urls`, and the page's
    context gets `writeback_test_context`."""

    def writeback_test_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("test-writeback/", view(self.writeback_test_view),
                 name=self._name("test_writeback")),
            path("test-writeback/cleanup/", view(self.writeback_test_cleanup_view),
                 name=self._name("test_writeback_cleanup")),
        ]  # fmt: skip

    def writeback_test_context(self, request) -> dict:
        tests = writeback_tests()
        latest_owner = tests.latest.owner_email if tests.latest else ""
        return {"writeback_tests": tests, "owner_email": latest_owner or request.user.email}

    @method_decorator(require_POST)
    def writeback_test_view(self, request):
        self._require_change_permission(request)
        form = OwnerEmailForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Test write-back: {form.errors['owner_email'][0]}")
            return self._back_to_section()
        try:
            test = writeback_test_create(
                owner_email=form.cleaned_data["owner_email"], created_by=request.user
            )
        except SalesforceError as error:
            messages.error(request, f"Test write-back failed: {error} {error.hint} {LEFT_OVER}")
        else:
            self._log(request, f"Test write-back: created {test} in Salesforce")
            messages.success(
                request,
                f"Test write-back: {len(test.records())} test records are in Salesforce. "
                f"{test.owner_message} Open them with “View in CRM” below.",
            )
        return self._back_to_section()

    @method_decorator(require_POST)
    def writeback_test_cleanup_view(self, request):
        self._require_change_permission(request)
        try:
            deleted = writeback_test_cleanup()
        except SalesforceError as error:
            messages.error(request, f"Clean-up failed: {error} {error.hint}")
        else:
            self._log(request, f"Test write-back: deleted {deleted} test records in Salesforce")
            messages.success(request, f"Clean-up: deleted {deleted} test records in Salesforce.")
        return self._back_to_section()

    def _back_to_section(self) -> HttpResponseRedirect:
        response = self._back_to_page()
        response["Location"] += SECTION
        return response
