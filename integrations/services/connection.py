"""Connecting, checking, renewing and disconnecting the Salesforce org.

Every outcome is written to the connection row (status, the exact error, a hint), so the
connection page always says what is going on. The "Connect Salesforce" button's OAuth flow
is in `connection_oauth.py`.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from integrations import conf
from integrations.choices import AuthMethod
from integrations.exceptions import (
    AuthError,
    ConfigurationError,
    PermanentError,
    RateLimitedError,
    SalesforceError,
)
from integrations.models import SalesforceConnection
from integrations.salesforce import oauth
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.hints import hint_for
from integrations.salesforce.usage import UsageGuard

logger = logging.getLogger(__name__)


def connection_connect(
    *,
    login_url: str,
    auth_method: str,
    client_id: str,
    client_secret: str,
    username: str = "",
    password: str = "",
    security_token: str = "",
    token: oauth.TokenResponse | None = None,
) -> SalesforceConnection:
    """Store the credentials, log in, verify identity and limits; raise on any failure.

    `token` is given by the OAuth web-server flow (the code was already exchanged).
    """
    connection = SalesforceConnection.load()
    connection.login_url = login_url.rstrip("/")
    connection.auth_method = auth_method
    connection.client_id = client_id
    connection.client_secret = client_secret
    connection.username = username
    connection.password = password
    connection.security_token = security_token
    connection.save()
    try:
        token = token or _log_in(connection)
        connection_verify(connection=connection, token=token)
    except SalesforceError as error:
        connection_mark_failed(connection=connection, error=error)
        raise
    return connection


def connection_log_in(
    *,
    login_url: str,
    auth_method: str,
    client_id: str,
    client_secret: str,
    username: str = "",
    password: str = "",
    security_token: str = "",
) -> oauth.TokenResponse:
    """Log in with password or client-credentials without storing anything: the token, or
    the SalesforceError saying why not (the console checks credentials before saving)."""
    if auth_method == AuthMethod.PASSWORD:
        return oauth.token_by_password(
            login_url=login_url,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            security_token=security_token,
        )
    if auth_method == AuthMethod.CLIENT_CREDENTIALS:
        return oauth.token_by_client_credentials(
            login_url=login_url, client_id=client_id, client_secret=client_secret
        )
    raise AuthError(
        "Use the Connect Salesforce button to log in with OAuth.",
        code="oauth_required",
        hint="Click Connect Salesforce on the connection page.",
    )


def connection_update(
    *,
    connection: SalesforceConnection,
    login_url: str,
    token: oauth.TokenResponse | None = None,
) -> SalesforceConnection:
    """Store the console's changes; with the token of the form's login, connect with it.

    Without a token (OAuth), the credentials wait for the "Connect Salesforce" button.
    """
    connection.login_url = login_url
    connection.save()
    if token is None:
        return connection
    return connection_connect(**_credentials(connection), token=token)


def connection_check() -> SalesforceConnection:
    """Verify the stored credentials still work (limits + identity), renewing the session
    when it expired. While the sync is paused by an API limit, nothing is called."""
    connection = SalesforceConnection.load()
    if not connection.access_token:
        raise ConfigurationError(
            "No Salesforce org is connected.", code="NOT_CONNECTED", hint=hint_for("NOT_CONNECTED")
        )
    try:
        client = salesforce_client(connection=connection, require_connected=False)
        _store_limits(connection, _limits_if_offered(client))  # renews an expired session
        _store_identity(connection, oauth.identity(_current_token(connection)))
    except RateLimitedError:
        raise
    except SalesforceError as error:
        connection_mark_failed(connection=connection, error=error)
        raise
    connection.mark_connected()
    return connection


def connection_disconnect() -> SalesforceConnection:
    """Revoke the token in Salesforce and forget it here (credentials stay for reconnecting)."""
    connection = SalesforceConnection.load()
    token = connection.refresh_token or connection.access_token
    if token:
        try:
            oauth.revoke(login_url=connection.login_url, token=token)
        except SalesforceError as error:  # revoked already, or unreachable: forget it anyway
            logger.warning("Revoking the Salesforce token failed: %s", error)
    connection.mark_disconnected()
    return connection


def connection_renew_session(connection: SalesforceConnection) -> str:
    """Get a new access token (refresh token, else log in again); store and return it."""
    if connection.refresh_token:
        token = oauth.token_by_refresh(
            login_url=connection.login_url,
            client_id=connection.client_id,
            client_secret=connection.client_secret,
            refresh_token=connection.refresh_token,
        )
    elif connection.auth_method in (AuthMethod.PASSWORD, AuthMethod.CLIENT_CREDENTIALS):
        token = _log_in(connection)
    else:
        raise AuthError(
            "The session expired and there is no refresh token.",
            code="INVALID_SESSION_ID",
            hint=hint_for("INVALID_SESSION_ID"),
        )
    connection.update_columns(access_token=token.access_token, instance_url=token.instance_url)
    logger.info("Renewed the Salesforce session")
    return token.access_token


def salesforce_client(
    *,
    connection: SalesforceConnection | None = None,
    require_connected: bool = True,
    read_only: bool = False,
) -> SalesforceClient:
    """The client for the connected org, with session renewal and the usage guard
    (`read_only`: one that refuses every write, for the sync preview)."""
    connection = connection or SalesforceConnection.load()
    if not connection.access_token or (require_connected and not connection.is_connected):
        raise ConfigurationError(
            "No Salesforce org is connected.", code="NOT_CONNECTED", hint=hint_for("NOT_CONNECTED")
        )
    return SalesforceClient(
        instance_url=connection.instance_url,
        access_token=connection.access_token,
        api_version=connection.api_version or conf.get("API_VERSION"),
        renew_session=lambda: connection_renew_session(connection),
        guard=UsageGuard(connection),
        org_id=connection.org_id,
        user_id=connection.user_id,
        read_only=read_only,
    )


def connection_verify(*, connection: SalesforceConnection, token: oauth.TokenResponse) -> None:
    """Store a new token with who it belongs to, the API version both sides speak and the
    org's limits, and mark the connection connected; raise when Salesforce refuses."""
    identity = oauth.identity(token)
    connection.access_token = token.access_token
    connection.refresh_token = token.refresh_token or ""
    connection.instance_url = token.instance_url
    connection.identity_url = token.identity_url
    _store_identity(connection, identity)
    connection.api_version = _negotiate_version(token)
    client = SalesforceClient(
        instance_url=token.instance_url,
        access_token=token.access_token,
        api_version=connection.api_version,
        org_id=identity.org_id,
    )
    _store_limits(connection, _limits_if_offered(client))
    connection.mark_connected()


def connection_mark_failed(*, connection: SalesforceConnection, error: SalesforceError) -> None:
    """Show why connecting or checking failed on the connection page."""
    connection.mark_failed(
        message=error.message, code=error.code, hint=error.hint or hint_for(error.code)
    )


def _log_in(connection: SalesforceConnection) -> oauth.TokenResponse:
    return connection_log_in(**_credentials(connection))


def _credentials(connection: SalesforceConnection) -> dict[str, str]:
    """The stored login settings, as `connection_log_in` and `connection_connect` take them."""
    names = ("login_url", "auth_method", "client_id", "client_secret", "username", "password",
             "security_token")  # fmt: skip
    return {name: getattr(connection, name) for name in names}


def _limits_if_offered(client: SalesforceClient) -> dict:
    """The org's limits; {} from an endpoint without the /limits resource (the usage is
    then learnt from the Sforce-Limit-Info header of later calls)."""
    try:
        return client.limits()
    except PermanentError as error:
        if error.code != "NOT_FOUND" and error.status != 404:
            raise
        logger.warning("No /limits resource at %s", client.instance_url)
        return {}


def _negotiate_version(token: oauth.TokenResponse) -> str:
    """The newest REST API version both we and the org speak."""
    wanted = _version_key(conf.get("API_VERSION"))
    probe = SalesforceClient(
        instance_url=token.instance_url,
        access_token=token.access_token,
        api_version=conf.get("API_VERSION"),
    )
    try:
        offered = [item["version"] for item in probe.request("GET", "/services/data/") or []]
    except (PermanentError, KeyError, TypeError):
        # A Salesforce-compatible endpoint without the versions resource: use ours.
        fallback = conf.get("API_VERSION")
        logger.warning("No API versions list at %s; using v%s", token.instance_url, fallback)
        return fallback
    usable = [version for version in offered if _version_key(version) <= wanted]
    return max(usable, key=_version_key) if usable else conf.get("API_VERSION")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _store_identity(connection: SalesforceConnection, identity: oauth.Identity) -> None:
    connection.org_id = identity.org_id
    connection.user_id = identity.user_id
    connection.connected_username = identity.username
    connection.connected_display_name = identity.display_name


def _store_limits(connection: SalesforceConnection, limits: dict) -> None:
    daily = limits.get("DailyApiRequests") or {}
    if "Max" in daily and "Remaining" in daily:
        connection.org_api_max = daily["Max"]
        connection.org_api_used = daily["Max"] - daily["Remaining"]
        connection.org_api_checked_at = timezone.now()


def _current_token(connection: SalesforceConnection) -> oauth.TokenResponse:
    return oauth.TokenResponse(
        access_token=connection.access_token,
        instance_url=connection.instance_url,
        identity_url=connection.identity_url,
        refresh_token=connection.refresh_token,
    )
