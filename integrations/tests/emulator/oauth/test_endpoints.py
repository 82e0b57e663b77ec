"""OAuth flows against the emulator's token endpoint, over HTTPS."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

from ..conftest import API_VERSION, password_login

REDIRECT_URI = "https://crm-bridge.example/oauth/callback"


def _token(emulator, http, **form):
    return http.post(f"{emulator.url}/services/oauth2/token", data=form, timeout=10)


def _authorize(emulator, http, **params):
    query = {"response_type": "code", "client_id": emulator.credentials.client_id,
             "redirect_uri": REDIRECT_URI, "state": "xyz", **params}  # fmt: skip
    response = http.get(f"{emulator.url}/services/oauth2/authorize", params=query,
                        allow_redirects=False, timeout=10)  # fmt: skip
    assert response.status_code == 302
    return parse_qs(urlsplit(response.headers["Location"]).query)


def _pkce_pair():
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _code_grant(emulator, http, code, verifier):
    credentials = emulator.credentials
    return _token(emulator, http, grant_type="authorization_code", code=code,
                  client_id=credentials.client_id, client_secret=credentials.client_secret,
                  redirect_uri=REDIRECT_URI, code_verifier=verifier)  # fmt: skip


def _limits(emulator, http, token):
    return http.get(f"{emulator.url}/services/data/v{API_VERSION}/limits",
                    headers={"Authorization": f"Bearer {token}"}, timeout=10)  # fmt: skip


def test_password_flow_returns_a_session_but_no_refresh_token(org, http):
    body = password_login(org, http).json()

    assert body["instance_url"] == org.url
    assert body["id"] == f"{org.url}/id/{org.org_id}/{org.integration_user_id}"
    assert body["token_type"] == "Bearer"
    assert "refresh_token" not in body
    assert _limits(org, http, body["access_token"]).status_code == 200


def test_password_without_security_token_is_an_authentication_failure(org, http):
    response = password_login(org, http, password=org.credentials.password)

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "authentication failure",
    }


def test_unknown_client_and_wrong_secret_are_told_apart(org, http):
    unknown = password_login(org, http, client_id="nope").json()
    wrong_secret = password_login(org, http, client_secret="nope").json()

    assert unknown["error"] == "invalid_client_id"
    assert wrong_secret == {
        "error": "invalid_client",
        "error_description": "invalid client credentials",
    }


def test_unsupported_grant_type(org, http):
    response = _token(org, http, grant_type="urn:ietf:params:oauth:grant-type:device_code")

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_authorization_code_with_pkce_returns_a_refresh_token(org, http):
    verifier, challenge = _pkce_pair()
    redirect = _authorize(org, http, code_challenge=challenge, code_challenge_method="S256")

    body = _code_grant(org, http, redirect["code"][0], verifier).json()

    assert redirect["state"] == ["xyz"]
    assert body["refresh_token"]
    assert _limits(org, http, body["access_token"]).status_code == 200


def test_authorization_code_with_a_wrong_verifier_fails_and_cannot_be_replayed(org, http):
    verifier, challenge = _pkce_pair()
    code = _authorize(org, http, code_challenge=challenge)["code"][0]

    wrong = _code_grant(org, http, code, "wrong-verifier")
    replay = _code_grant(org, http, code, verifier)

    assert wrong.json() == {"error": "invalid_grant", "error_description": "invalid code verifier"}
    assert replay.json()["error_description"] == "invalid authorization code"


def test_refresh_token_keeps_working_after_sessions_expire(org, http):
    credentials = org.credentials
    verifier, challenge = _pkce_pair()
    code = _authorize(org, http, code_challenge=challenge)["code"][0]
    first = _code_grant(org, http, code, verifier).json()

    org.faults.inject("session_expired")
    expired = _limits(org, http, first["access_token"])
    refreshed = _token(org, http, grant_type="refresh_token", refresh_token=first["refresh_token"],
                       client_id=credentials.client_id,
                       client_secret=credentials.client_secret).json()  # fmt: skip

    assert expired.status_code == 401
    assert expired.json() == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]
    assert "refresh_token" not in refreshed
    assert _limits(org, http, refreshed["access_token"]).status_code == 200


def test_revoking_a_refresh_token_ends_its_sessions(org, http):
    credentials = org.credentials
    verifier, challenge = _pkce_pair()
    code = _authorize(org, http, code_challenge=challenge)["code"][0]
    tokens = _code_grant(org, http, code, verifier).json()

    revoked = http.post(f"{org.url}/services/oauth2/revoke",
                        data={"token": tokens["refresh_token"]}, timeout=10)  # fmt: skip
    refresh = _token(
        org,
        http,
        grant_type="refresh_token",
        refresh_token=tokens["refresh_token"],
        client_id=credentials.client_id,
        client_secret=credentials.client_secret,
    )

    assert revoked.status_code == 200
    assert _limits(org, http, tokens["access_token"]).status_code == 401
    assert refresh.json()["error"] == "invalid_grant"


def test_client_credentials_run_as_the_integration_user(org, http):
    credentials = org.credentials
    body = _token(org, http, grant_type="client_credentials", client_id=credentials.cc_client_id,
                  client_secret=credentials.cc_client_secret).json()  # fmt: skip
    main_app = _token(org, http, grant_type="client_credentials", client_id=credentials.client_id,
                      client_secret=credentials.client_secret)  # fmt: skip

    assert body["id"].endswith(org.integration_user_id)
    assert "refresh_token" not in body
    assert main_app.status_code == 400


def test_identity_url_and_userinfo_describe_the_user(org, http):
    body = password_login(org, http).json()
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    identity = http.get(body["id"], headers=headers, timeout=10).json()
    userinfo = http.get(f"{org.url}/services/oauth2/userinfo", headers=headers, timeout=10).json()

    assert identity["user_id"] == org.integration_user_id
    assert identity["organization_id"] == org.org_id
    assert identity["username"] == org.credentials.username
    assert identity["urls"]["rest"] == f"{org.url}/services/data/v{{version}}/"
    assert userinfo["preferred_username"] == org.credentials.username


def test_identity_url_and_userinfo_take_the_token_as_the_oauth_token_parameter(org, http):
    body = password_login(org, http).json()
    token = {"oauth_token": body["access_token"]}

    identity = http.get(body["id"], params=token, timeout=10)
    userinfo = http.get(f"{org.url}/services/oauth2/userinfo", params=token, timeout=10)
    wrong = http.get(f"{org.url}/services/oauth2/userinfo", params={"oauth_token": "x"},
                     timeout=10)  # fmt: skip

    assert identity.json()["user_id"] == org.integration_user_id
    assert userinfo.json()["user_id"] == org.integration_user_id
    assert wrong.status_code == 403
