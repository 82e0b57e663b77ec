"""`Authorization: Bearer <key>` with a key created in the admin or by `create_api_key`."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from tracking.models import ApiKey
from tracking.services import api_key_authenticate


class ApiKeyAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiKey | None:
        """The key from a Bearer header; any other header is refused without a log line.

        django-ninja's own HttpBearer logs a header with another scheme in full when DEBUG is
        on, which would put a key sent as `Basic crmb_…` (or with no scheme) into the log.
        """
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return api_key_authenticate(key=token)
