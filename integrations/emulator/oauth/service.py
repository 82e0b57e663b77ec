"""OAuth 2.0 as Salesforce's token endpoint does it: grants, sessions and refresh tokens.

Two connected apps exist: the main one (password, authorization code with PKCE, refresh
token) and a client-credentials app that runs as the integration user. The password flow wants
the password with the security token appended and, like Salesforce, returns no refresh token;
the authorization-code flow returns one when the granted scope includes `refresh_token`.
"""

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from ..errors import OAuthError
from ..records.org import INTEGRATION_USERNAME

APP_SCOPES = ("api", "id", "openid", "refresh_token", "web")
CODE_LIFETIME_SECONDS = 15 * 60


@dataclass(frozen=True)
class EmulatorCredentials:
    """What the product's connection settings need to log in to the emulator."""

    username: str = INTEGRATION_USERNAME
    password: str = "emulator-password-1"
    security_token: str = "EMULATORTOKEN001"
    client_id: str = "3MVG9CRMBridgeEmulatorConnectedAppClientId"
    client_secret: str = "CRMBRIDGEEMULATORCLIENTSECRET001"
    cc_client_id: str = "3MVG9CRMBridgeEmulatorClientCredentialsAppId"
    cc_client_secret: str = "CRMBRIDGEEMULATORCCSECRET0000001"


@dataclass
class Session:
    access_token: str
    user_id: str
    client_id: str
    scope: str
    refresh_token: str | None = None


@dataclass
class RefreshGrant:
    refresh_token: str
    user_id: str
    client_id: str
    scope: str


@dataclass(frozen=True)
class AuthorizationCode:
    client_id: str
    redirect_uri: str
    user_id: str
    scope: str
    code_challenge: str | None
    expires_at: float


class OAuthService:
    """Issues and checks tokens; thread-safe."""

    def __init__(self, credentials: EmulatorCredentials, store):
        self.credentials = credentials
        self._store = store
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._grants: dict[str, RefreshGrant] = {}
        self._codes: dict[str, AuthorizationCode] = {}

    # -- sessions -------------------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> Session | None:
        """The session of an `Authorization: Bearer <token>` header, if it is valid."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() not in ("bearer", "oauth"):
            return None
        with self._lock:
            return self._sessions.get(token.strip())

    def expire_sessions(self) -> None:
        """Invalidate every access token, as a session timeout does; refresh tokens survive."""
        with self._lock:
            self._sessions.clear()

    def revoke(self, token: str) -> bool:
        """Revoke an access token (its session) or a refresh token (and its sessions)."""
        with self._lock:
            if self._sessions.pop(token, None):
                return True
            if self._grants.pop(token, None) is None:
                return False
            for access_token, session in list(self._sessions.items()):
                if session.refresh_token == token:
                    del self._sessions[access_token]
            return True

    def export_grants(self) -> list[dict]:
        with self._lock:
            return [asdict(grant) for grant in self._grants.values()]

    def import_grants(self, grants: list[dict]) -> None:
        with self._lock:
            self._grants = {g["refresh_token"]: RefreshGrant(**g) for g in grants}

    # -- token endpoint -------------------------------------------------------------------

    def token(self, form: dict, instance_url: str) -> dict:
        """Answer a token request; raises OAuthError as Salesforce would."""
        grants = {
            "password": self._password_grant,
            "refresh_token": self._refresh_grant,
            "authorization_code": self._code_grant,
            "client_credentials": self._client_credentials_grant,
        }
        grant = grants.get(form.get("grant_type", ""))
        if grant is None:
            raise OAuthError("unsupported_grant_type", "grant type not supported")
        return grant(form, instance_url)

    def _password_grant(self, form: dict, instance_url: str) -> dict:
        self._check_client(form, self.credentials.client_id, self.credentials.client_secret)
        expected = self.credentials.password + self.credentials.security_token
        username_ok = form.get("username", "").lower() == self.credentials.username.lower()
        password_ok = hmac.compare_digest(form.get("password", ""), expected)
        if not (username_ok and password_ok):
            raise OAuthError("invalid_grant", "authentication failure")
        user_id = self._store.integration_user_id
        return self._issue(user_id, form["client_id"], " ".join(APP_SCOPES), instance_url)

    def _refresh_grant(self, form: dict, instance_url: str) -> dict:
        self._check_client(form, self.credentials.client_id, self.credentials.client_secret)
        with self._lock:
            grant = self._grants.get(form.get("refresh_token", ""))
        if grant is None or grant.client_id != form["client_id"]:
            raise OAuthError("invalid_grant", "expired access/refresh token")
        return self._issue(grant.user_id, grant.client_id, grant.scope, instance_url,
                           refresh_token=grant.refresh_token)  # fmt: skip

    def _code_grant(self, form: dict, instance_url: str) -> dict:
        self._check_client(form, self.credentials.client_id, self.credentials.client_secret)
        with self._lock:
            code = self._codes.pop(form.get("code", ""), None)
        if code is None or code.expires_at < time.time() or code.client_id != form["client_id"]:
            raise OAuthError("invalid_grant", "invalid authorization code")
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri must match configuration")
        if code.code_challenge and not _pkce_matches(
            form.get("code_verifier"), code.code_challenge
        ):
            raise OAuthError("invalid_grant", "invalid code verifier")
        refresh_token = None
        if {"refresh_token", "offline_access"} & set(code.scope.split()):
            refresh_token = self._new_grant(code.user_id, code.client_id, code.scope)
        return self._issue(code.user_id, code.client_id, code.scope, instance_url,
                           refresh_token=refresh_token, include_refresh=True)  # fmt: skip

    def _client_credentials_grant(self, form: dict, instance_url: str) -> dict:
        if form.get("client_id") == self.credentials.client_id:
            raise OAuthError("invalid_grant", "no client credentials user enabled")
        self._check_client(form, self.credentials.cc_client_id, self.credentials.cc_client_secret)
        user_id = self._store.integration_user_id
        return self._issue(user_id, form["client_id"], "api", instance_url)

    def _check_client(self, form: dict, client_id: str, client_secret: str) -> None:
        if form.get("client_id") != client_id:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        if not hmac.compare_digest(form.get("client_secret", ""), client_secret):
            raise OAuthError("invalid_client", "invalid client credentials")

    def _new_grant(self, user_id: str, client_id: str, scope: str) -> str:
        token = "5Aep861" + secrets.token_urlsafe(60)
        with self._lock:
            self._grants[token] = RefreshGrant(token, user_id, client_id, scope)
        return token

    def _issue(self, user_id, client_id, scope, instance_url, *, refresh_token=None,
               include_refresh=False) -> dict:  # fmt: skip
        access_token = f"{self._store.org_id[:15]}!{secrets.token_urlsafe(72)}"
        with self._lock:
            self._sessions[access_token] = Session(
                access_token, user_id, client_id, scope, refresh_token
            )
        identity_url = f"{instance_url}/id/{self._store.org_id}/{user_id}"
        issued_at = str(int(time.time() * 1000))
        secret = self._secret_of(client_id)
        digest = hmac.new(secret.encode(), (identity_url + issued_at).encode(), hashlib.sha256)
        body = {
            "access_token": access_token,
            "instance_url": instance_url,
            "id": identity_url,
            "token_type": "Bearer",
            "issued_at": issued_at,
            "signature": base64.b64encode(digest.digest()).decode(),
            "scope": scope,
        }
        if include_refresh and refresh_token:
            body["refresh_token"] = refresh_token
        return body

    def _secret_of(self, client_id: str) -> str:
        if client_id == self.credentials.cc_client_id:
            return self.credentials.cc_client_secret
        return self.credentials.client_secret

    # -- authorization endpoint -----------------------------------------------------------

    def authorize(self, params: dict) -> str:
        """Auto-approve an authorization request: the redirect URL carrying the code."""
        if params.get("client_id") != self.credentials.client_id:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri.startswith(("https://", "http://")):
            raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
        if params.get("response_type") != "code":
            return _redirect(redirect_uri, error="unsupported_response_type",
                             error_description="response type not supported",
                             state=params.get("state"))  # fmt: skip
        challenge = params.get("code_challenge")
        if challenge and params.get("code_challenge_method", "S256") != "S256":
            return _redirect(redirect_uri, error="invalid_request",
                             error_description="invalid code challenge method",
                             state=params.get("state"))  # fmt: skip
        code = secrets.token_urlsafe(48) + "=="
        scope = params.get("scope") or " ".join(APP_SCOPES)
        user_id = self._user_for_login_hint(params.get("login_hint"))
        with self._lock:
            self._codes[code] = AuthorizationCode(
                params["client_id"], redirect_uri, user_id, scope, challenge,
                time.time() + CODE_LIFETIME_SECONDS,
            )  # fmt: skip
        return _redirect(redirect_uri, code=code, state=params.get("state"))

    def _user_for_login_hint(self, login_hint: str | None) -> str:
        """The user the browser "logs in" as: the one named by login_hint, else the
        integration user."""
        if login_hint:
            users = self._store.find_live(self._store.object_type("User"), "Username", login_hint)
            if users:
                return users[0]["Id"]
        return self._store.integration_user_id


def _pkce_matches(verifier: str | None, challenge: str) -> bool:
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(expected, challenge)


def _redirect(redirect_uri: str, **params) -> str:
    query = urlencode({name: value for name, value in params.items() if value is not None})
    separator = "&" if "?" in redirect_uri else "?"
    return f"{redirect_uri}{separator}{query}"
