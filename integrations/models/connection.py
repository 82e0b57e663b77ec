"""The one connected Salesforce org: where to log in, how, and what we learnt about it.

Secrets are encrypted at rest with FIELD_ENCRYPTION_KEY (django-encrypted-model-fields) and
are never rendered back into a page.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from encrypted_model_fields.fields import EncryptedTextField

from integrations.choices import AuthMethod, ConnectionStatus, LoginEnvironment
from integrations.models.singleton import SingletonModel


class SalesforceConnection(SingletonModel):
    """The one row: the org CRM Bridge syncs with."""

    login_url = models.URLField(
        default=LoginEnvironment.PRODUCTION,
        help_text=(
            "Where to log in: https://login.salesforce.com for production, "
            "https://test.salesforce.com for a sandbox, or your My Domain URL "
            "(https://<domain>.my.salesforce.com)."
        ),
    )
    auth_method = models.CharField(
        max_length=32,
        choices=AuthMethod.choices,
        default=AuthMethod.OAUTH,
        help_text=(
            "How CRM Bridge logs in. Use a dedicated integration user: personal credentials "
            "stop working when that person leaves or changes their password."
        ),
    )
    client_id = models.CharField(
        "client id (consumer key)",
        max_length=255,
        blank=True,
        help_text="The consumer key of your Salesforce connected app.",
    )
    client_secret = EncryptedTextField(
        "client secret (consumer secret)",
        blank=True,
        help_text="The consumer secret of the connected app. Stored encrypted; never shown again.",
    )
    username = models.CharField(
        max_length=255, blank=True, help_text="Salesforce username (password login only)."
    )
    password = EncryptedTextField(
        blank=True, help_text="Salesforce password (password login only). Stored encrypted."
    )
    security_token = EncryptedTextField(
        blank=True,
        help_text=(
            "The user's security token (password login only; not needed when this server's IP "
            "is trusted in Salesforce). Stored encrypted."
        ),
    )
    access_token = EncryptedTextField(blank=True, editable=False)
    refresh_token = EncryptedTextField(blank=True, editable=False)

    instance_url = models.URLField(blank=True, editable=False)
    identity_url = models.URLField(max_length=500, blank=True, editable=False)
    api_version = models.CharField(max_length=8, blank=True, editable=False)
    org_id = models.CharField("org id", max_length=18, blank=True, editable=False)
    user_id = models.CharField("user id", max_length=18, blank=True, editable=False)
    connected_username = models.CharField(max_length=255, blank=True, editable=False)
    connected_display_name = models.CharField(max_length=255, blank=True, editable=False)

    status = models.CharField(
        max_length=16,
        choices=ConnectionStatus.choices,
        default=ConnectionStatus.NOT_CONNECTED,
        editable=False,
    )
    last_error = models.TextField(blank=True, editable=False)
    last_error_code = models.CharField(max_length=64, blank=True, editable=False)
    last_error_hint = models.TextField(blank=True, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_until = models.DateTimeField(null=True, blank=True, editable=False)

    org_api_used = models.PositiveIntegerField(null=True, blank=True, editable=False)
    org_api_max = models.PositiveIntegerField(null=True, blank=True, editable=False)
    org_api_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    api_cap_percent = models.PositiveSmallIntegerField(
        "API cap (% of the org's daily limit)",
        null=True,
        blank=True,
        help_text=(
            "The most of the org's 24-hour API limit CRM Bridge may use, in percent. Sync "
            "pauses when it is reached and resumes by itself. Empty: no percentage cap."
        ),
    )
    api_cap_calls = models.PositiveIntegerField(
        "API cap (calls per 24 hours)",
        null=True,
        blank=True,
        help_text="An absolute cap on CRM Bridge's calls per 24 hours. Empty: no absolute cap.",
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Salesforce connection"
        verbose_name_plural = "Salesforce connection"

    def __str__(self) -> str:
        if self.is_connected:
            return f"Connected to Salesforce as {self.connected_username} (org {self.org_id})"
        return "Salesforce connection"

    def clean(self):
        if self.api_cap_percent is not None and not 1 <= self.api_cap_percent <= 100:
            raise ValidationError({"api_cap_percent": "Enter a percentage from 1 to 100."})

    @property
    def is_connected(self) -> bool:
        return bool(self.access_token and self.instance_url) and self.status in (
            ConnectionStatus.CONNECTED,
            ConnectionStatus.PAUSED,
        )

    @property
    def is_paused(self) -> bool:
        return self.paused_until is not None and self.paused_until > timezone.now()

    @property
    def app_cap(self) -> int | None:
        """This app's share of the daily limit in calls: the lower of both caps, if any."""
        caps = []
        if self.api_cap_calls is not None:
            caps.append(self.api_cap_calls)
        if self.api_cap_percent is not None and self.org_api_max:
            caps.append(self.org_api_max * self.api_cap_percent // 100)
        return min(caps) if caps else None

    @property
    def org_usage_percent(self) -> float | None:
        if not self.org_api_max or self.org_api_used is None:
            return None
        return round(100 * self.org_api_used / self.org_api_max, 1)

    # -- status: the only writers of status, errors, pause and the check / sync times -------

    def mark_connected(self) -> None:
        """The org answered: connected, not paused, no error. Saves the whole row, so what
        the caller learnt with it (tokens, identity, limits) is stored too."""
        self.status = ConnectionStatus.CONNECTED
        self.paused_until = None
        self.last_checked_at = timezone.now()
        self._clear_error()
        self.save()

    def mark_failed(self, *, message: str, code: str, hint: str) -> None:
        """Connecting or checking failed: Salesforce's words and a hint for the page."""
        self.status = ConnectionStatus.ERROR
        self.last_error, self.last_error_code, self.last_error_hint = message, code, hint
        self.last_checked_at = timezone.now()
        self.save()

    def mark_disconnected(self) -> None:
        """Forget the tokens (the credentials stay for reconnecting)."""
        self.access_token = ""
        self.refresh_token = ""
        self.status = ConnectionStatus.NOT_CONNECTED
        self.paused_until = None
        self._clear_error()
        self.save()

    def pause(self, *, until: datetime, code: str, message: str, hint: str) -> None:
        """Stop all calls until `until`. Any worker may pause while others run, so only the
        pause's own columns are written."""
        self.update_columns(
            paused_until=until,
            status=ConnectionStatus.PAUSED,
            last_error=message,
            last_error_code=code,
            last_error_hint=hint,
        )

    def resume(self) -> None:
        """A call succeeded after a pause: connected again (only these columns are written)."""
        self.update_columns(
            paused_until=None,
            status=ConnectionStatus.CONNECTED,
            last_error="",
            last_error_code="",
            last_error_hint="",
        )

    @classmethod
    def mark_synced(cls) -> None:
        """A sync cycle finished now (one column UPDATE; no instance needed)."""
        cls.update_row(last_synced_at=timezone.now())

    def _clear_error(self) -> None:
        self.last_error = ""
        self.last_error_code = ""
        self.last_error_hint = ""
