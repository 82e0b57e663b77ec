"""The request body limit, enforced before the body is read.

The effective limit is the smaller of the API's own and Django's DATA_UPLOAD_MAX_MEMORY_SIZE
(which guards every body Django reads); both answer 413 with the same message.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

API_MAX_BODY_BYTES = 10 * 1024 * 1024


def max_body_bytes() -> int:
    django_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return min(API_MAX_BODY_BYTES, django_limit) if django_limit else API_MAX_BODY_BYTES


def too_large_response() -> JsonResponse:
    limit = max_body_bytes()
    return JsonResponse(
        {"detail": f"Request body too large: the limit is {limit:,} bytes. Send fewer items."},
        status=413,
    )


def reject_oversized(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 413 from the Content-Length header, before authenticating or reading anything."""

    @wraps(run)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _content_length(request) > max_body_bytes():
            return too_large_response()
        return run(request, *args, **kwargs)

    return checked


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
