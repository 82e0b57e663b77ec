"""Salesforce's OAuth 2.0 flows: web server (with PKCE), username-password, client
credentials, refresh and revoke; plus the identity look-up.

simple-salesforce only logs in against `*.salesforce.com` hosts, so the token calls are made
here with requests against the configured login URL; everything after the login (instance
URL, API calls) follows what the token response says, never a hard-coded host.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from integrations import conf
from integrations.exceptions import AuthError, SalesforceError, TransientError
from integrations.salesforce.errors import error_from_exception
from integrations.salesforce.hints import hint_for

SCOPES = "api refresh_token offline_access id"


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    instance_url: str
    identity_url: str
    refresh_token: str = ""


@dataclass(frozen=True)
class Identity:
    org_id: str
    user_id: str
    username: str
    display_name: str


def pkce_pair() -> tuple[str, str]:
    """Return a new (code_verifier, S256 code_challenge) pair."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def authorize_url(
    *, login_url: str, client_id: str, redirect_uri: str, state: str, code_challenge: str
) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            "prompt": "login consent",
        }
    )
    return f"{login_url.rstrip('/')}/services/oauth2/authorize?{query}"


def token_by_password(
    *,
    login_url: str,
    client_id: str,
    client_secret: str,
    username: str,
    password: str,
    security_token: str = "",
) -> TokenResponse:
    return _token_request(
        login_url,
        {
            "grant_type": "password",
            "client_id": client_id,
            "client_secret": client_secret,
            "username": username,
            "password": password + security_token,
        },
    )


def token_by_client_credentials(
    *, login_url: str, client_id: str, client_secret: str
) -> TokenResponse:
    return _token_request(
        login_url,
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )


def token_by_authorization_code(
    *,
    login_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> TokenResponse:
    return _token_request(
        login_url,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": client_secret,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        },
    )


def token_by_refresh(
    *, login_url: str, client_id: str, client_secret: str, refresh_token: str
) -> TokenResponse:
    token = _token_request(
        login_url,
        {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
        },
    )
    # Salesforce does not rotate the refresh token unless the connected app says so.
    return TokenResponse(
        token.access_token,
        token.instance_url,
        token.identity_url,
        token.refresh_token or refresh_token,
    )


def revoke(*, login_url: str, token: str) -> None:
    """Revoke a refresh or access token (and the session behind it)."""
    response = _post(f"{login_url.rstrip('/')}/services/oauth2/revoke", {"token": token})
    if response.status_code >= 400:
        _raise_oauth_error(response)


def identity(token: TokenResponse) -> Identity:
    """Who the token belongs to: Salesforce's identity URL (the token's `id`), else the
    OpenID Connect userinfo endpoint of the instance, else the ids in the identity URL."""
    sources = [token.identity_url, f"{token.instance_url}/services/oauth2/userinfo"]
    failure: SalesforceError | None = None
    for url in filter(None, sources):
        try:
            return _identity_from(url, token.access_token)
        except (AuthError, TransientError) as error:
            if error.code == "INVALID_SESSION_ID":
                raise
            failure = error
    ids = _ids_from_identity_url(token.identity_url)
    if ids is None:
        raise failure
    return Identity(org_id=ids[0], user_id=ids[1], username="", display_name="")


def _identity_from(url: str, access_token: str) -> Identity:
    try:
        response = requests.get(
            url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=conf.get("HTTP_TIMEOUT"),
        )
    except requests.RequestException as error:
        raise error_from_exception(error) from error
    if response.status_code in (401, 403):
        raise AuthError(
            f"The identity service refused the token (HTTP {response.status_code}).",
            status=response.status_code,
            code="INVALID_SESSION_ID",
            hint=hint_for("INVALID_SESSION_ID"),
        )
    try:
        data = response.json() if response.status_code < 400 else {}
        return Identity(
            org_id=data["organization_id"],
            user_id=data["user_id"],
            username=data.get("username") or data.get("preferred_username", ""),
            display_name=data.get("display_name") or data.get("name", ""),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise AuthError(
            f"{url} gave no identity (HTTP {response.status_code}).",
            status=response.status_code,
            code="identity_unavailable",
            hint="Check that the login URL belongs to a Salesforce org.",
        ) from error


def _ids_from_identity_url(url: str) -> tuple[str, str] | None:
    """Salesforce identity URLs end in /id/<org id>/<user id>."""
    parts = url.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "id":
        return parts[-2], parts[-1]
    return None


def _token_request(login_url: str, form: dict[str, str]) -> TokenResponse:
    response = _post(f"{login_url.rstrip('/')}/services/oauth2/token", form)
    if response.status_code >= 400:
        _raise_oauth_error(response)
    data = response.json()
    try:
        return TokenResponse(
            access_token=data["access_token"],
            instance_url=data["instance_url"].rstrip("/"),
            identity_url=data.get("id", ""),
            refresh_token=data.get("refresh_token", ""),
        )
    except KeyError as error:
        raise AuthError(
            f"The token response has no {error.args[0]!r}: is the login URL a Salesforce "
            "login endpoint?",
            code="invalid_response",
            hint="Check the login URL.",
        ) from error


def _post(url: str, form: dict[str, str]) -> requests.Response:
    try:
        return requests.post(
            url,
            data=form,
            headers={"Accept": "application/json"},
            timeout=conf.get("HTTP_TIMEOUT"),
        )
    except requests.RequestException as error:
        raise error_from_exception(error) from error


def _raise_oauth_error(response: requests.Response) -> None:
    """An OAuth error names itself in a JSON object; anything else (a REST-style error list
    from a wrong login URL, an HTML page) is known by its HTTP status only."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code >= 500:
        raise TransientError(
            f"Salesforce's login service answered HTTP {response.status_code}.",
            code="SERVER_UNAVAILABLE",
            status=response.status_code,
            hint=hint_for("SERVER_UNAVAILABLE"),
        )
    code = body.get("error", f"http_{response.status_code}")
    description = body.get("error_description") or response.text[:200] or response.reason
    raise AuthError(description, code=code, status=response.status_code, hint=hint_for(code))
