"""Turning Salesforce's answers into our typed errors (the client's boundary)."""

from __future__ import annotations

from datetime import timedelta

import requests
from django.utils import timezone

from integrations import conf
from integrations.exceptions import (
    PermanentError,
    RateLimitedError,
    SalesforceError,
    SessionExpiredError,
    TransientError,
)
from integrations.salesforce.hints import hint_for

TRANSIENT_CODES = frozenset({"SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW", "UNKNOWN_EXCEPTION"})
# The codes of an AuthError that a person must fix: the login is refused (wrong or changed
# password, revoked or expired refresh token, inactive user or org, wrong connected app), or
# the session expired and cannot be renewed.
AUTH_FAILURE_CODES = frozenset(
    {"invalid_grant", "invalid_client", "invalid_client_id", "inactive_user", "inactive_org",
     "INVALID_SESSION_ID", "oauth_required"}
)  # fmt: skip


def error_from_response(status: int, body) -> SalesforceError:
    """Map an HTTP status and Salesforce's error body to one of our exceptions."""
    first = body[0] if isinstance(body, list) and body else body
    first = first if isinstance(first, dict) else {}
    code = first.get("errorCode") or first.get("error") or f"HTTP_{status}"
    message = (
        first.get("message") or first.get("error_description") or str(body)[:500] or "no details"
    )
    kwargs = {"code": code, "status": status, "hint": hint_for(code)}
    if status == 401 or code == "INVALID_SESSION_ID":
        return SessionExpiredError(message, **kwargs)
    if code == "REQUEST_LIMIT_EXCEEDED":
        resume_at = timezone.now() + timedelta(seconds=conf.get("LIMIT_PAUSE"))
        return RateLimitedError(message, resume_at=resume_at, **kwargs)
    if status >= 500 or code in TRANSIENT_CODES:
        return TransientError(message, **kwargs)
    return PermanentError(message, **kwargs)


def error_from_exception(error: requests.RequestException) -> SalesforceError:
    """A network failure. Only a failure to connect proves the request was never sent (and
    so never reached Salesforce, which did not count it as an API call)."""
    if isinstance(error, requests.exceptions.SSLError):
        return PermanentError(
            str(error), code="SSL_ERROR", hint=hint_for("SSL_ERROR"), reached_salesforce=False
        )
    not_sent = isinstance(error, requests.ConnectTimeout) or (
        isinstance(error, requests.ConnectionError) and _is_connect_failure(error)
    )
    code = "TIMEOUT" if isinstance(error, requests.Timeout) else "CONNECTION_FAILED"
    return TransientError(
        str(error) or error.__class__.__name__,
        code=code,
        hint=hint_for(code),
        outcome_unknown=not not_sent,
        reached_salesforce=not not_sent,
    )


def _is_connect_failure(error: requests.ConnectionError) -> bool:
    text = repr(error)
    return "NewConnectionError" in text or "NameResolutionError" in text
