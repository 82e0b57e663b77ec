"""Console section 1: the Salesforce connection (a singleton settings page).

Custom views follow Django's UserAdmin pattern: permission check, one service call, a
message, a log entry, a redirect.
"""

from __future__ import annotations

import secrets

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from crmbridge import __version__
from integrations import conf
from integrations.admin.forms import ConnectionForm
from integrations.admin.singleton import SingletonAdmin
from integrations.exceptions import SalesforceError
from integrations.models import ApiUsageHour, SalesforceConnection
from integrations.salesforce import oauth
from integrations.selectors import api_usage_by_hour
from integrations.services.connection import (
    connection_check,
    connection_complete_oauth,
    connection_connect,
    connection_disconnect,
)

OAUTH_SESSION_KEY = "salesforce_oauth"


@admin.register(SalesforceConnection)
class SalesforceConnectionAdmin(SingletonAdmin):
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
            "callback_url": request.build_absolute_uri(self._url("oauth_callback")),
            "usage_hours": api_usage_by_hour(),
            "app_calls_24h": ApiUsageHour.calls_in_last_24h(),
            **(extra_context or {}),
        }
        return super().change_view(request, str(connection.pk), form_url, context)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        obj.login_url = data["login_url"]
        obj.save()
        if form.token is None:
            messages.info(request, "Saved. Click “Connect Salesforce” to log in with OAuth.")
            return
        try:
            connection = connection_connect(
                login_url=obj.login_url,
                auth_method=obj.auth_method,
                client_id=obj.client_id,
                client_secret=obj.client_secret,
                username=obj.username,
                password=obj.password,
                security_token=obj.security_token,
                token=form.token,
            )
        except SalesforceError as error:
            messages.error(request, f"Salesforce said: {error}. {error.hint}")
            return
        messages.success(request, str(connection))

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
        connection = SalesforceConnection.load()
        if not (connection.client_id and connection.client_secret):
            messages.error(
                request, "Enter and save the connected app's client id and secret first."
            )
            return self._back_to_page()
        verifier, challenge = oauth.pkce_pair()
        state = secrets.token_urlsafe(24)
        request.session[OAUTH_SESSION_KEY] = {"state": state, "verifier": verifier}
        return HttpResponseRedirect(
            oauth.authorize_url(
                login_url=connection.login_url,
                client_id=connection.client_id,
                redirect_uri=request.build_absolute_uri(self._url("oauth_callback")),
                state=state,
                code_challenge=challenge,
            )
        )

    def oauth_callback_view(self, request):
        self._require_change_permission(request)
        pending = request.session.pop(OAUTH_SESSION_KEY, None)
        state = request.GET.get("state", "")
        if not pending or not secrets.compare_digest(pending["state"], state):
            messages.error(
                request, "The Salesforce login expired or was not started here. Try again."
            )
            return self._back_to_page()
        if "error" in request.GET:
            reason = request.GET.get("error_description") or request.GET["error"]
            messages.error(request, f"Salesforce did not connect: {reason}.")
            return self._back_to_page()
        try:
            connection = connection_complete_oauth(
                code=request.GET.get("code", ""),
                code_verifier=pending["verifier"],
                redirect_uri=request.build_absolute_uri(self._url("oauth_callback")),
            )
        except SalesforceError as error:
            messages.error(request, f"Salesforce said: {error}. {error.hint}")
        else:
            self._log(request, "Connected Salesforce with OAuth")
            messages.success(request, str(connection))
        return self._back_to_page()
