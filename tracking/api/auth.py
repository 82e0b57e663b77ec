"""`Authorization: Bearer <key>` with a key created in the admin or by `create_api_key`."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from tracking.models import ApiKey
from tracking.services import api_key_authenticate


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return api_key_authenticate(key=token)
