"""Error answers of the ingestion API: every failure is JSON with a `detail`.

Invalid input is a 400 listing each failing item (index, field, reason), whether the schema
or the upsert found it, and nothing of that request is written.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tracking.api.limits import too_large_response
from tracking.api.read_params import (
    QueryError,
    is_query_error,
    query_error_response,
    query_schema_errors,
)
from tracking.services import ItemError, RecordValidationError

INVALID = "Invalid input: nothing of this request was written."


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _schema_errors)
    api.add_exception_handler(RecordValidationError, _record_errors)
    api.add_exception_handler(AuthenticationError, _unauthorized)
    api.add_exception_handler(RequestDataTooBig, _too_large)
    api.add_exception_handler(QueryError, query_error_response)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """A body that is not JSON is invalid input like any other (ninja raises it as a
        plain 400 HttpError caused by the parser's error); other HTTP errors as ninja has it."""
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            return _invalid([_parse_error(exc.__cause__)])
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    api.add_exception_handler(HttpError, http_error)


def _schema_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if any(is_query_error(error) for error in exc.errors):  # a GET's parameters
        return query_schema_errors(exc.errors)
    return _invalid(_item_error(error) for error in exc.errors)


def _record_errors(request: HttpRequest, exc: RecordValidationError) -> HttpResponse:
    return _invalid(exc.errors)


def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = JsonResponse(
        {"detail": "Missing, unknown or revoked API key: send 'Authorization: Bearer <key>'."},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return too_large_response()


def _invalid(errors: Iterable[ItemError]) -> HttpResponse:
    items = [{"index": e.index, "field": e.field, "reason": e.reason} for e in errors]
    return JsonResponse({"detail": INVALID, "errors": items}, status=400)


def _parse_error(error: ValueError) -> ItemError:
    if isinstance(error, json.JSONDecodeError):
        reason = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    elif isinstance(error, UnicodeDecodeError):
        reason = "not valid JSON: the body must be UTF-8"
    else:
        reason = f"not valid JSON: {error}"
    return ItemError(index=None, field="body", reason=reason)


def _item_error(error: dict[str, Any]) -> ItemError:
    """Pydantic's location ("body", "payload", "contacts", 3, "email") → item 3, "email"."""
    path = [str(part) for part in error["loc"][2:]]
    if len(path) >= 2 and path[1].isdigit():
        inner = (error.get("ctx") or {}).get("path")  # a key inside a JSON value
        field = ".".join([*path[2:], inner] if inner else path[2:]) or None
        return ItemError(index=int(path[1]), field=field, reason=_item_reason(error))
    return ItemError(index=None, field=".".join(path) or "body", reason=_body_reason(error))


def _item_reason(error: dict[str, Any]) -> str:
    match error["type"]:
        case "too_long" | "string_too_long":
            return f"too long for the field: at most {error['ctx']['max_length']} characters"
        case "too_short" | "string_too_short":
            return "must not be blank"
    return _common_reason(error)


def _body_reason(error: dict[str, Any]) -> str:
    match error["type"]:
        case "too_long":
            return f"too many items: at most {error['ctx']['max_length']:,} per request"
        case "too_short":
            return "at least one item is required"
        case "model_attributes_type":
            return "the body must be a JSON object"
    return _common_reason(error)


def _common_reason(error: dict[str, Any]) -> str:
    match error["type"]:
        case "missing":
            return "required"
        case "extra_forbidden":
            return "unknown field"
    return error["msg"]
