"""The typed errors every Salesforce failure is turned into at the client boundary.

Callers catch these and never parse vendor messages. Each error carries Salesforce's error
code and text, a plain-language explanation and a hint how to fix it (see `hints.py`).
"""

from __future__ import annotations

from datetime import datetime


class SalesforceError(Exception):
    """Base class: something went wrong talking to Salesforce."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        status: int | None = None,
        hint: str = "",
        reached_salesforce: bool = True,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.hint = hint
        # False when the request never got to Salesforce (refused connection, TLS failure,
        # connect timeout): then it is no API call and is not counted as one.
        self.reached_salesforce = reached_salesforce

    def __str__(self) -> str:
        prefix = f"{self.code}: " if self.code else ""
        return f"{prefix}{self.message}"


class AuthError(SalesforceError):
    """Credentials are wrong, revoked or expired beyond refresh: a person must act."""


class SessionExpiredError(AuthError):
    """The access token is no longer valid (INVALID_SESSION_ID); a refresh may fix it."""


class RateLimitedError(SalesforceError):
    """The org's daily API limit or this app's cap is reached; work resumes at `resume_at`."""

    def __init__(self, message: str, *, resume_at: datetime, **kwargs):
        super().__init__(message, **kwargs)
        self.resume_at = resume_at


class TransientError(SalesforceError):
    """Worth retrying later: 503, row locks, timeouts, dropped connections.

    `outcome_unknown` is true when the request may have been applied before the failure
    (e.g. a read timeout), so a non-idempotent write must not simply be sent again.
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.outcome_unknown = outcome_unknown


class PermanentError(SalesforceError):
    """Salesforce rejected the request itself; retrying the same request cannot help."""


class ConfigurationError(SalesforceError):
    """CRM Bridge is not set up to talk to Salesforce (e.g. no connection yet)."""


class OAuthFlowError(Exception):
    """The console's "Connect Salesforce" flow cannot go on (not set up, not started here,
    or refused in Salesforce); the message is for the admin as it is."""


class CrmActivationError(Exception):
    """CRM sync cannot be switched on now; `needs_connection` when the org must be connected
    first (the console then sends the admin to the connection page). `hint` says what to do."""

    def __init__(self, message: str, *, hint: str, needs_connection: bool = False):
        super().__init__(message)
        self.hint = hint
        self.needs_connection = needs_connection
