"""How every request is served.

REST API calls (`/services/data/vNN.N/...`) go through the same steps as on Salesforce: the
version check, the injected latency and faults, the Bearer session, the org's daily API limit,
then the handler; every answer carries `Sforce-Limit-Info`. OAuth endpoints get latency and
the availability faults; `/_emulator/...` control calls need the admin key and are not counted.
"""

import json
import logging
import re
import time

from ..errors import ApiError, OAuthError, not_found
from .messages import Request, Response, Route, error_response, json_response

logger = logging.getLogger(__name__)

MIN_VERSION, MAX_VERSION = 50, 66
SUPPORTED_VERSIONS = tuple(f"{major}.0" for major in range(MIN_VERSION, MAX_VERSION + 1))
_DATA_PATH = re.compile(r"/services/data/v(\d+\.\d)(?:/(.*))?", re.DOTALL)
_SEASONS = ("Winter", "Spring", "Summer")


def version_label(version: str) -> str:
    """Salesforce's release name of an API version: 50.0 is Winter '21, 66.0 Spring '26."""
    steps = int(float(version)) - MIN_VERSION
    return f"{_SEASONS[steps % 3]} '{21 + steps // 3}"


class Dispatcher:
    """Routes a parsed request through the steps of its area to a handler."""

    def __init__(self, app, routes: list[Route]):
        self.app = app
        self.routes = routes
        app.dispatcher = self

    def subrequest(self, parent: Request, method: str, path: str, query: dict, body) -> Response:
        """One subrequest of a composite call: routed like a call of its own, but not
        counted, delayed or faulted separately (the composite call was)."""
        request = Request(
            method=method, path=f"{parent.data_base}/{path}", query=query,
            headers=parent.headers, body=json.dumps(body).encode() if body is not None else b"",
            version=parent.version, session=parent.session,
        )  # fmt: skip
        try:
            route, params = self._route("data", method, path)
            return self._call(route, request, params)
        except ApiError as error:
            return error_response(error)

    def handle(self, request: Request) -> Response:
        try:
            return self._handle(request)
        except ApiError as error:
            return error_response(error)
        except OAuthError as error:
            return json_response(error.as_body(), error.status)
        except Exception:
            logger.exception("emulator request %s %s failed", request.method, request.path)
            error = ApiError("UNKNOWN_EXCEPTION", "An unexpected error occurred.", status=500)
            return error_response(error)

    def _handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/_emulator/"):
            return self._control_call(request, path.removeprefix("/_emulator/"))
        if self.app.faults.take("missing", path):
            raise not_found()
        if path.rstrip("/") == "/services/data":
            self._sleep()
            return json_response([_version_entry(version) for version in SUPPORTED_VERSIONS])
        data_path = _DATA_PATH.fullmatch(path)
        if data_path:
            return self._api_call(request, data_path.group(1), data_path.group(2) or "")
        if path.startswith(("/services/oauth2/", "/id/")):
            return self._oauth_call(request, path.lstrip("/"))
        raise not_found()

    def _api_call(self, request: Request, version: str, path: str) -> Response:
        if version not in SUPPORTED_VERSIONS:
            raise not_found()
        request.version = version
        self.app.usage.record_call(request.path)
        self._sleep()
        route, params = self._route("data", request.method, path)
        early = self._availability_faults(request) or self._authenticate(request)
        if early is not None:
            return early
        disconnect = route.writes and self.app.faults.take(
            "disconnect_after_apply", request.path, request.method
        )
        late = route.writes and self.app.faults.take(
            "delay_after_apply", request.path, request.method
        )
        try:
            self._apply_lock_fault(route, request)
            response = self._call(route, request, params)
        except ApiError as error:
            response = error_response(error)
        if disconnect:
            return Response(disconnect=True)
        if late:
            time.sleep(late.seconds)
        response.headers["Sforce-Limit-Info"] = self.app.usage.header()
        return response

    def _apply_lock_fault(self, route: Route, request: Request) -> None:
        """An injected lock: a single-record write fails; a multi-record write learns how
        many of its first records fail."""
        lock = route.writes in ("record", "records") and self.app.faults.take(
            "lock", request.path, request.method
        )
        if not lock:
            return
        if route.writes == "record":
            raise ApiError("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")
        request.lock_records = lock.records

    def _authenticate(self, request: Request) -> Response | None:
        faults, usage = self.app.faults, self.app.usage
        if faults.take("session_expired", request.path, request.method):
            self.app.oauth.expire_sessions()
        request.session = self.app.oauth.authenticate(request.header("Authorization"))
        if request.session is None:
            response = error_response(
                ApiError("INVALID_SESSION_ID", "Session expired or invalid", status=401)
            )
            response.headers["WWW-Authenticate"] = "Token"
            return response
        if faults.take("limit_exceeded", request.path, request.method) or not usage.try_use():
            limit = ApiError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", status=403)
            return error_response(limit)
        return None

    def _availability_faults(self, request: Request) -> Response | None:
        delay = self.app.faults.take("delay", request.path, request.method)
        if delay:
            time.sleep(delay.seconds)
        if self.app.faults.take("503", request.path, request.method):
            unavailable = ApiError(
                "SERVER_UNAVAILABLE",
                "Server is temporarily unavailable. Please try again later.",
                status=503,
            )
            return error_response(unavailable)
        return None

    def _oauth_call(self, request: Request, path: str) -> Response:
        self._sleep()
        route, params = self._route("oauth", request.method, path)
        return self._availability_faults(request) or self._call(route, request, params)

    def _control_call(self, request: Request, path: str) -> Response:
        if request.header("Authorization") != f"Bearer {self.app.admin_key}":
            return json_response({"error": "the emulator admin key is required"}, 401)
        route, params = self._route("control", request.method, path)
        return self._call(route, request, params)

    def _call(self, route: Route, request: Request, params: dict) -> Response:
        return route.handler(self.app, request, **params)

    def _route(self, area: str, method: str, path: str):
        allowed = []
        for route in self.routes:
            if route.area != area:
                continue
            params = route.match(path)
            if params is None:
                continue
            if route.method == method:
                return route, params
            allowed.append(route.method)
        if allowed:
            raise ApiError(
                "METHOD_NOT_ALLOWED",
                f"HTTP Method '{method}' not allowed. Allowed are {','.join(allowed)}",
                status=405,
            )
        raise not_found()

    def _sleep(self) -> None:
        if self.app.latency > 0:
            time.sleep(self.app.latency)


def _version_entry(version: str) -> dict:
    return {
        "label": version_label(version),
        "url": f"/services/data/v{version}",
        "version": version,
    }
