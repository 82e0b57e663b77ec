"""Keeps the sync inside the org's daily API limit and this app's cap.

Before every call the guard refuses to go on while the connection is paused; after every
call that reached Salesforce it counts the call (per hour, for the chart and the cap) and keeps
the org's own counters from the `Sforce-Limit-Info` header. A request that never got there (a
refused connection, a failed TLS handshake, a connect timeout) is no API call: the client does
not report it, so it never eats into the cap. Reaching a limit pauses the connection until a
time when calls are available again; the scheduler simply finds the connection paused and
resumes once that time has passed. Nothing busy-retries against an exhausted limit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from integrations.choices import ConnectionStatus
from integrations.exceptions import RateLimitedError
from integrations.models import ApiUsageHour, SalesforceConnection
from integrations.salesforce.hints import hint_for

logger = logging.getLogger(__name__)

# Write the org's counters to the database at most this often (they change with every call).
ORG_COUNTER_SAVE_INTERVAL = timedelta(seconds=10)


class UsageGuard:
    """Counts calls for one connection and stops them when a limit is reached."""

    def __init__(self, connection: SalesforceConnection):
        self.connection = connection
        self._calls_24h = ApiUsageHour.calls_in_last_24h()

    def before_call(self) -> None:
        connection = self.connection
        if connection.is_paused:
            until = f"{connection.paused_until:%Y-%m-%d %H:%M} UTC"
            raise RateLimitedError(
                f"Paused until {until}: {connection.last_error}",
                resume_at=connection.paused_until,
                code=connection.last_error_code or "REQUEST_LIMIT_EXCEEDED",
                hint=connection.last_error_hint,
            )
        cap = connection.app_cap
        if cap is not None and self._calls_24h >= cap:
            resume_at = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(
                hours=1
            )
            message = f"CRM Bridge used {self._calls_24h} of its cap of {cap} calls in 24 hours."
            self.pause(resume_at=resume_at, code="API_CAP_REACHED", message=message)
            raise RateLimitedError(
                message,
                resume_at=resume_at,
                code="API_CAP_REACHED",
                hint=hint_for("API_CAP_REACHED"),
            )

    def after_call(self, *, org_usage: tuple[int, int] | None, failed: bool = False) -> None:
        ApiUsageHour.record(calls=1, errors=int(failed))
        self._calls_24h += 1
        if not failed and self.connection.status == ConnectionStatus.PAUSED:
            self.connection.resume()
        if org_usage is not None:
            self._remember_org_usage(*org_usage)

    def pause(self, *, resume_at: datetime, code: str, message: str) -> None:
        """Pause all Salesforce calls until `resume_at` and say why on the connection page."""
        logger.warning("Salesforce calls paused until %s: %s", resume_at, message)
        self.connection.pause(until=resume_at, code=code, message=message, hint=hint_for(code))

    def _remember_org_usage(self, used: int, maximum: int) -> None:
        connection = self.connection
        now = timezone.now()
        stale = (
            connection.org_api_checked_at is None
            or now - connection.org_api_checked_at >= ORG_COUNTER_SAVE_INTERVAL
        )
        connection.org_api_used, connection.org_api_max = used, maximum
        if stale or used >= maximum:
            connection.update_columns(
                org_api_used=used, org_api_max=maximum, org_api_checked_at=now
            )
        if used >= maximum:
            self.pause(
                resume_at=now + timedelta(hours=1),
                code="REQUEST_LIMIT_EXCEEDED",
                message=f"The org used {used} of its {maximum} daily API requests.",
            )
