"""The OAuth HTTP endpoints: token, authorize, revoke, userinfo and the identity URL."""

from ..errors import OAuthError
from ..records.ids import normalize_id
from ..records.values import format_datetime
from ..server.messages import Request, Response, Route, empty_response, json_response, text_response


def token(app, request: Request) -> Response:
    return json_response(app.oauth.token(request.form(), app.url))


def authorize(app, request: Request) -> Response:
    location = app.oauth.authorize(request.form())
    return Response(302, b"", content_type="", headers={"Location": location})


def revoke(app, request: Request) -> Response:
    if not app.oauth.revoke(request.form().get("token", "")):
        raise OAuthError("unsupported_token_type", "this token type is not supported")
    return empty_response(200)


def _session(app, request: Request):
    """The session of the request's access token. Salesforce's identity and UserInfo URLs take
    it as an `Authorization` header or as the `oauth_token` parameter (django-allauth's
    Salesforce login sends the parameter)."""
    session = app.oauth.authenticate(request.header("Authorization"))
    token = request.form().get("oauth_token")
    if session is None and token:
        session = app.oauth.authenticate(f"Bearer {token}")
    return session


def identity(app, request: Request, org_id: str, user_id: str) -> Response:
    session = _session(app, request)
    user_id = normalize_id(user_id) or ""
    user = app.store.record(user_id) if user_id[:3] == "005" else None
    if session is None:
        return text_response("Bad_OAuth_Token", 403)
    if org_id != app.store.org_id or user is None:
        return text_response("Bad_Id", 404)
    return json_response(_identity_body(app, user))


def userinfo(app, request: Request) -> Response:
    session = _session(app, request)
    if session is None:
        return text_response("Bad_OAuth_Token", 403)
    user = app.store.record(session.user_id)
    body = _identity_body(app, user)
    return json_response({
        "sub": body["id"], "user_id": user["Id"], "organization_id": app.store.org_id,
        "preferred_username": user["Username"], "nickname": user["Alias"],
        "name": user["Name"], "email": user["Email"], "email_verified": True,
        "given_name": user["FirstName"], "family_name": user["LastName"], "zoneinfo": "GMT",
        "profile": f"{app.url}/{user['Id']}", "urls": body["urls"], "active": True,
        "user_type": "STANDARD", "language": "en_US", "locale": "en_US", "utcOffset": 0,
        "updated_at": body["last_modified_date"],
    })  # fmt: skip


def _identity_body(app, user: dict) -> dict:
    base = app.url
    identity_url = f"{base}/id/{app.store.org_id}/{user['Id']}"
    data = f"{base}/services/data/v{{version}}"
    return {
        "id": identity_url, "asserted_user": True, "user_id": user["Id"],
        "organization_id": app.store.org_id, "username": user["Username"],
        "nick_name": user["Alias"], "display_name": user["Name"], "email": user["Email"],
        "email_verified": True, "first_name": user["FirstName"], "last_name": user["LastName"],
        "timezone": user["TimeZoneSidKey"], "active": user["IsActive"],
        "user_type": "STANDARD", "language": "en_US", "locale": "en_US", "utcOffset": 0,
        "last_modified_date": format_datetime(user["LastModifiedDate"]),
        "urls": {
            "rest": f"{data}/", "sobjects": f"{data}/sobjects/", "query": f"{data}/query/",
            "search": f"{data}/search/", "recent": f"{data}/recent/",
            "profile": f"{base}/{user['Id']}", "custom_domain": base,
        },
    }  # fmt: skip


ROUTES = [
    Route("POST", r"services/oauth2/token", token, "oauth"),
    Route("GET", r"services/oauth2/authorize", authorize, "oauth"),
    Route("POST", r"services/oauth2/revoke", revoke, "oauth"),
    Route("GET", r"services/oauth2/revoke", revoke, "oauth"),
    Route("GET", r"services/oauth2/userinfo", userinfo, "oauth"),
    Route("POST", r"services/oauth2/userinfo", userinfo, "oauth"),
    Route("GET", r"id/(?P<org_id>\w{15,18})/(?P<user_id>\w{15,18})", identity, "oauth"),
]
