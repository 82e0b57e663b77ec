"""Console section 1: the Salesforce connection (a singleton settings page).

Custom views follow Django's UserAdmin pattern: permission check, one service call, a
message, a log entry, a redirect. The page also says whether the org has the Task
external-id field activity tracking relies on (from the cached describe()).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from crmbridge import __version__
from integrations import conf
from integrations.admin.changes import changes_message, form_changes
from integrations.admin.crm_activation import CrmActivationViews
from integrations.admin.forms import SECRET_FIELDS, ConnectionForm
from integrations.admin.singleton import SingletonAdmin
from integrations.exceptions import OAuthFlowError, SalesforceError
from integrations.models import ApiUsageHour, SalesforceConnection, SyncSettings
from integrations.selectors import api_usage_by_hour
from integrations.services.connection import (
    connection_check,
    connection_disconnect,
    connection_update,
    salesforce_client,
)
from integrations.services.connection_oauth import connection_oauth_finish, connection_oauth_start
from integrations.sync.activities.external_ids import TASK_EXTERNAL_ID, task_external_id_field


@dataclass(frozen=True)
class TaskExternalIdStatus:
    """Whether Task writes can be upserts: the org has the field, or why that is unknown."""

    present: bool
    field: str = TASK_EXTERNAL_ID
    unknown: str = ""  # why the Task fields could not be read


def task_external_id_status(connection: SalesforceConnection) -> TaskExternalIdStatus | None:
    """The Task external-id field of the connected org (None when no org is connected)."""
    if not connection.is_connected:
        return None
    try:
        present = bool(task_external_id_field(salesforce_client(connection=connection)))
    except SalesforceError as error:
        reason = f"Could not read the Task fields from Salesforce: {error}."
        return TaskExternalIdStatus(False, unknown=" ".join(filter(None, [reason, error.hint])))
    return TaskExternalIdStatus(present)


@admin.register(SalesforceConnection)
class SalesforceConnectionAdmin(CrmActivationViews, SingletonAdmin):
    form = ConnectionForm
    change_form_template = "admin/integrations/salesforceconnection/change_form.html"
    fieldsets = [
        (
            "Salesforce credentials",
            {
                "fields": [
                    "environment",
                    "custom_login_url",
                    "auth_method",
                    "client_id",
                    "client_secret",
                    "username",
                    "password",
                    "security_token",
                ],
                "description": (
                    "Connect a dedicated integration user rather than a person's own login: "
                    "personal credentials are revoked when people leave or change their "
                    "password, and the sync would stop."
                ),
            },
        ),
        (
            "API call limit",
            {
                "fields": ["api_cap_percent", "api_cap_calls"],
                "description": (
                    "Salesforce allows each org a number of API calls per 24 hours, shared by "
                    "all its integrations. Cap CRM Bridge's share so others keep working."
                ),
            },
        ),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        connection = SalesforceConnection.load()
        context = {
            "connection": connection,
            "connector_version": __version__,
            "api_version": connection.api_version or conf.get("API_VERSION"),
            "callback_url": self._callback_url(request),
            "usage_hours": api_usage_by_hour(),
            "app_calls_24h": ApiUsageHour.calls_in_last_24h(),
            "sync_settings": SyncSettings.load(),
            "task_external_id": task_external_id_status(connection),
            "describe_minutes": max(1, conf.get("DESCRIBE_TTL") // 60),
            **self.crm_activation_context(),
            **(extra_context or {}),
        }
        return super().change_view(request, str(connection.pk), form_url, context)

    def save_model(self, request, obj, form, change):
        try:
            connection = connection_update(
                connection=obj, login_url=form.cleaned_data["login_url"], token=form.token
            )
        except SalesforceError as error:
            messages.error(request, f"Salesforce said: {error}. {error.hint}")
            return
        saved = changes_message(form_changes(form, secrets=SECRET_FIELDS), saved="Connection saved")
        if form.token is None:
            messages.info(request, f"{saved} Click “Connect Salesforce” to log in with OAuth.")
        else:
            messages.success(request, f"{saved} {connection}.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("check/", view(self.check_view), name=self._name("check")),
            path("disconnect/", view(self.disconnect_view), name=self._name("disconnect")),
            path("oauth/start/", view(self.oauth_start_view), name=self._name("oauth_start")),
            path(
                "oauth/callback/",
                view(self.oauth_callback_view),
                name=self._name("oauth_callback"),
            ),
            *self.crm_activation_urls(),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def check_view(self, request):
        self._require_change_permission(request)
        try:
            connection = connection_check()
        except SalesforceError as error:
            messages.error(request, f"Credentials check failed: {error}. {error.hint}")
        else:
            messages.success(request, f"Credentials are valid. {connection}.")
            self._log(request, "Checked Salesforce credentials")
        return self._back_to_page()

    @method_decorator(require_POST)
    def disconnect_view(self, request):
        self._require_change_permission(request)
        connection_disconnect()
        self._log(request, "Disconnected Salesforce (token revoked)")
        messages.success(request, "Disconnected from Salesforce; the token was revoked.")
        return self._back_to_page()

    @method_decorator(require_POST)
    def oauth_start_view(self, request):
        self._require_change_permission(request)
        try:
            url = connection_oauth_start(
                request_session=request.session, redirect_uri=self._callback_url(request)
            )
        except OAuthFlowError as error:
            messages.error(request, str(error))
            return self._back_to_page()
        return HttpResponseRedirect(url)

    def oauth_callback_view(self, request):
        self._require_change_permission(request)
        try:
            connection = connection_oauth_finish(
                request_session=request.session,
                state=request.GET.get("state", ""),
                code=request.GET.get("code", ""),
                redirect_uri=self._callback_url(request),
                error=request.GET.get("error"),
                error_description=request.GET.get("error_description"),
            )
        except OAuthFlowError as error:
            messages.error(request, str(error))
        except SalesforceError as error:
            messages.error(request, f"Salesforce said: {error}. {error.hint}")
        else:
            self._log(request, "Connected Salesforce with OAuth")
            messages.success(request, str(connection))
        return self._back_to_page()

    def _callback_url(self, request) -> str:
        """Where Salesforce sends the admin back (also shown for the connected app's set-up)."""
        return request.build_absolute_uri(self._url("oauth_callback"))
