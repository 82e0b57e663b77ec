"""Checks of the read API's query parameters beyond their types: a 400 naming the parameter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Schema

INVALID_QUERY = "Invalid query parameters: nothing was read."


class QueryError(Exception):
    """A query parameter is wrong: answered 400 with the parameter and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


def query_params_check(request: HttpRequest, schema: type[Schema]) -> None:
    """A misspelt filter must not widen a lookup to every record: unknown names are a 400;
    so is a parameter given twice (which of the two would count is anybody's guess)."""
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise QueryError(unknown[0], "unknown parameter")
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        raise QueryError(repeated[0], "given more than once; give it once")


def query_invalid_response(errors: Iterable[tuple[str, str]]) -> JsonResponse:
    """400 in the write side's error shape, each error naming its parameter."""
    items = [{"index": None, "field": field, "reason": reason} for field, reason in errors]
    return JsonResponse({"detail": INVALID_QUERY, "errors": items}, status=400)


def query_error_response(request: HttpRequest, exc: QueryError) -> JsonResponse:
    return query_invalid_response([(exc.field, exc.reason)])


def is_query_error(error: dict[str, Any]) -> bool:
    return error["loc"][:1] == ("query",)


def query_schema_errors(errors: Iterable[dict[str, Any]]) -> JsonResponse:
    """Pydantic's errors of query parameters ("query", "limit") → ("limit", reason)."""
    return query_invalid_response(
        (".".join(str(part) for part in error["loc"][1:]) or "query", _reason(error))
        for error in errors
    )


def _reason(error: dict[str, Any]) -> str:
    match error["type"]:
        case "timezone_aware":
            return "needs a time zone, e.g. 2026-01-01T09:00:00Z"
        case (
            "datetime_from_date_parsing"
            | "datetime_parsing"
            | "datetime_type"
            | "invalid_timestamp"
        ):
            return "not an ISO 8601 date and time, e.g. 2026-01-01T09:00:00Z"
        case "blank":
            return "must not be blank; leave the parameter out instead"
        case "string_too_long" | "too_long":
            return f"too long: at most {error['ctx']['max_length']} characters"
    return error["msg"]
