"""The replication resources: `sobjects/{Obj}/updated/` and `sobjects/{Obj}/deleted/`.

Like Salesforce they look at SystemModstamp, reach back at most 30 days (updated) and 15 days
(deleted, the recycle bin), and insist that start precede end by more than a minute.
"""

from datetime import datetime, timedelta

from ..errors import ApiError
from ..records.values import format_datetime, parse_datetime
from ..server.messages import Request, Response, Route, json_response

UPDATED_DAYS, DELETED_DAYS = 30, 15


def updated(app, request: Request, obj: str) -> Response:
    sobject = app.store.object_type(obj)
    now = app.store.now()
    start, end = _window(request, now, UPDATED_DAYS)
    ids = app.store.modified_between(sobject.name, start, end)
    return json_response({"ids": ids, "latestDateCovered": format_datetime(min(end, now))})


def deleted(app, request: Request, obj: str) -> Response:
    sobject = app.store.object_type(obj)
    now = app.store.now()
    start, end = _window(request, now, DELETED_DAYS)
    entries = [
        {"id": entry.record_id, "deletedDate": format_datetime(entry.deleted_at)}
        for entry in app.store.deleted_entries()
        if entry.object_name == sobject.name and start <= entry.deleted_at <= end
    ]
    earliest = max(now - timedelta(days=DELETED_DAYS), app.store.earliest_deleted_available)
    return json_response({
        "deletedRecords": entries,
        "earliestDateAvailable": format_datetime(earliest),
        "latestDateCovered": format_datetime(min(end, now)),
    })  # fmt: skip


def _window(request: Request, now: datetime, days: int) -> tuple[datetime, datetime]:
    start, end = _parameter(request, "start"), _parameter(request, "end")
    if end - start <= timedelta(minutes=1):
        raise _replication_error(
            "startDate must chronologically precede endDate by more than one minute"
        )
    if start < now - timedelta(days=days):
        raise _replication_error(f"startDate cannot be more than {days} days ago")
    return start, end


def _parameter(request: Request, name: str) -> datetime:
    # An unencoded "+00:00" offset arrives as " 00:00" after form decoding.
    text = (request.param(name) or "").replace(" ", "+")
    value = parse_datetime(text)
    if value is None:
        raise ApiError("INVALID_REPLICATION_DATE", f"{name}: invalid date/time value: {text}")
    return value


def _replication_error(message: str) -> ApiError:
    return ApiError("INVALID_REPLICATION_DATE", message)


ROUTES = [
    Route("GET", r"sobjects/(?P<obj>\w+)/updated/?", updated),
    Route("GET", r"sobjects/(?P<obj>\w+)/deleted/?", deleted),
]
