"""Admin forms of the connection section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from integrations.choices import AuthMethod, LoginEnvironment
from integrations.exceptions import SalesforceError
from integrations.models import SalesforceConnection
from integrations.services.connection import connection_log_in

if TYPE_CHECKING:
    from integrations.salesforce.oauth import TokenResponse

SECRET_FIELDS = ("client_secret", "password", "security_token")
CUSTOM = "custom"


class ConnectionForm(forms.ModelForm):
    """Credentials and caps. Secrets are write-only: left empty, the stored value is kept.

    For password and client-credentials logins the form logs in while validating (through
    the connection service), so wrong credentials are a form error and nothing is stored.
    """

    environment = forms.ChoiceField(
        choices=[*LoginEnvironment.choices, (CUSTOM, "My Domain or other login URL")],
        widget=forms.RadioSelect,
        help_text="Tick sandbox for test.salesforce.com; use My Domain for client credentials.",
    )
    custom_login_url = forms.URLField(
        label="My Domain URL",
        assume_scheme="https",
        required=False,
        help_text="e.g. https://acme.my.salesforce.com (only for 'My Domain or other login URL').",
    )

    class Meta:
        model = SalesforceConnection
        fields = [
            "auth_method",
            "client_id",
            "client_secret",
            "username",
            "password",
            "security_token",
            "api_cap_percent",
            "api_cap_calls",
        ]
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token: TokenResponse | None = None
        login_url = self.instance.login_url
        if login_url in LoginEnvironment.values:
            self.fields["environment"].initial = login_url
        else:
            self.fields["environment"].initial = CUSTOM
            self.fields["custom_login_url"].initial = login_url
        for name in SECRET_FIELDS:
            if getattr(self.instance, name):
                self.fields[name].help_text += " A value is stored; leave empty to keep it."

    def clean(self):
        data = super().clean()
        for name in SECRET_FIELDS:
            if not data.get(name):
                data[name] = getattr(self.instance, name)
        data["login_url"] = self._login_url(data)
        method = data.get("auth_method")
        if method == AuthMethod.PASSWORD:
            self._require(data, "client_id", "client_secret", "username", "password")
        elif method in (AuthMethod.CLIENT_CREDENTIALS, AuthMethod.OAUTH):
            self._require(data, "client_id", "client_secret")
        if not self.errors and method != AuthMethod.OAUTH:
            self._log_in(data)
        return data

    def _login_url(self, data) -> str:
        if data.get("environment") == CUSTOM:
            url = data.get("custom_login_url")
            if not url:
                self.add_error("custom_login_url", "Enter your My Domain URL.")
                return ""
            if not url.startswith("https://"):
                self.add_error("custom_login_url", "Salesforce login URLs start with https://.")
            return url.rstrip("/")
        return data.get("environment") or LoginEnvironment.PRODUCTION

    def _require(self, data, *names: str) -> None:
        for name in names:
            if not data.get(name):
                self.add_error(name, "Required for this login method.")

    def _log_in(self, data) -> None:
        try:
            self.token = connection_log_in(
                login_url=data["login_url"],
                auth_method=data["auth_method"],
                client_id=data["client_id"],
                client_secret=data["client_secret"],
                username=data.get("username", ""),
                password=data.get("password", ""),
                security_token=data.get("security_token", ""),
            )
        except SalesforceError as error:
            raise forms.ValidationError(f"Salesforce said: {error}. {error.hint}") from error
