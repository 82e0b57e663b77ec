"""The emulator's own control API under /_emulator/ (not Salesforce's, never counted).

It lets a test or demo drive an emulator running in another process: statistics, reset, sample
data, faults, latency, API usage, record changes made "as another Salesforce user" (a
sales rep, so that a sync sees them as foreign edits), Outbound Message rules
(`outbound_messages`), closing a Case (`close_case`, which fires them) and merging records
(`merge`, as Salesforce's merge() call or a user merging duplicates). Every call needs
`Authorization: Bearer <admin key>`.
"""

from ..errors import ApiError
from .messages import Request, Response, Route, empty_response, json_response


def stats(app, request: Request) -> Response:
    return json_response({
        "url": app.url, "api_calls": app.api_calls,
        "api_usage": {"used": app.usage.used, "max": app.usage.max},
        "latency": app.latency, "faults": app.faults.pending(),
        "records": {name: app.store.count(name) for name in app.store.schema.objects},
    })  # fmt: skip


def reset(app, request: Request) -> Response:
    app.reset()
    return empty_response()


def seed(app, request: Request) -> Response:
    counts = _body(request)
    return json_response(app.seed_sample_data(**counts), 201)


def inject_fault(app, request: Request) -> Response:
    try:
        app.faults.inject(**_body(request))
    except (TypeError, ValueError) as error:
        raise ApiError("INVALID_FAULT", str(error)) from error
    return json_response(app.faults.pending(), 201)


def clear_faults(app, request: Request) -> Response:
    app.faults.clear()
    return empty_response()


def set_latency(app, request: Request) -> Response:
    app.latency = float(_body(request).get("seconds", 0))
    return empty_response()


def set_api_usage(app, request: Request) -> Response:
    app.set_api_usage(**_body(request))
    return empty_response()


def expire_sessions(app, request: Request) -> Response:
    app.expire_sessions()
    return empty_response()


def insert_record(app, request: Request, obj: str) -> Response:
    record_id = app.store.insert(obj, _body(request), request.param("user_id"))
    return json_response({"id": record_id}, 201)


def update_record(app, request: Request, obj: str, record_id: str) -> Response:
    app.store.update(obj, record_id, _body(request), request.param("user_id"))
    return empty_response()


def delete_record(app, request: Request, obj: str, record_id: str) -> Response:
    app.store.delete(obj, record_id, request.param("user_id"))
    return empty_response()


def convert_lead(app, request: Request) -> Response:
    options = _body(request)
    lead_id = options.pop("lead_id", None)
    if not lead_id:
        raise ApiError("REQUIRED_FIELD_MISSING", "lead_id is required", fields=["lead_id"])
    try:
        return json_response(app.store.convert_lead(lead_id, **options))
    except TypeError as error:
        raise ApiError("INVALID_ARGUMENT", str(error)) from error


def merge_records(app, request: Request) -> Response:
    body = _body(request)
    fields = body.get("fields") or {}
    if not isinstance(fields, dict):
        raise ApiError("JSON_PARSER_ERROR", "fields must be a JSON object", fields=["fields"])
    result = app.store.merge(
        str(body.get("object", "")), str(body.get("master_id") or ""), body.get("victim_ids"),
        fields=fields, user_id=request.param("user_id"),
    )  # fmt: skip
    return json_response(result)


def list_outbound_messages(app, request: Request) -> Response:
    return json_response(app.outbound_messages.status())


def add_outbound_message(app, request: Request) -> Response:
    body = _body(request)
    fields = body.get("fields", [])
    if not isinstance(fields, list) or not all(isinstance(name, str) for name in fields):
        raise ApiError("INVALID_FIELD", "fields must be a list of field names", fields=["fields"])
    rule = app.outbound_messages.add(
        obj=str(body.get("object", "Case")), endpoint_url=str(body.get("endpoint_url", "")),
        fields=fields,
    )  # fmt: skip
    return json_response(rule.as_dict(), 201)


def remove_outbound_message(app, request: Request, rule_id: str) -> Response:
    app.remove_outbound_message(rule_id)
    return empty_response()


def close_case(app, request: Request) -> Response:
    case_number = _body(request).get("case_number")
    return json_response(app.close_case(str(case_number) if case_number else None))


def _body(request: Request) -> dict:
    body = request.json() or {}
    if not isinstance(body, dict):
        raise ApiError("JSON_PARSER_ERROR", "expected a JSON object")
    return body


ROUTES = [
    Route("GET", r"stats/?", stats, "control"),
    Route("POST", r"reset/?", reset, "control"),
    Route("POST", r"seed/?", seed, "control"),
    Route("POST", r"faults/?", inject_fault, "control"),
    Route("DELETE", r"faults/?", clear_faults, "control"),
    Route("POST", r"latency/?", set_latency, "control"),
    Route("POST", r"api_usage/?", set_api_usage, "control"),
    Route("POST", r"expire_sessions/?", expire_sessions, "control"),
    Route("POST", r"records/(?P<obj>\w+)/?", insert_record, "control"),
    Route("PATCH", r"records/(?P<obj>\w+)/(?P<record_id>\w+)/?", update_record, "control"),
    Route("DELETE", r"records/(?P<obj>\w+)/(?P<record_id>\w+)/?", delete_record, "control"),
    Route("POST", r"convert_lead/?", convert_lead, "control"),
    Route("POST", r"merge/?", merge_records, "control"),
    Route("GET", r"outbound_messages/?", list_outbound_messages, "control"),
    Route("POST", r"outbound_messages/?", add_outbound_message, "control"),
    Route("DELETE", r"outbound_messages/(?P<rule_id>\w+)/?", remove_outbound_message, "control"),
    Route("POST", r"close_case/?", close_case, "control"),
]
