"""sObject Collections: create, update, upsert, delete and retrieve up to 200 records a call.

Each record gets its own result, in input order. With `allOrNone` false every record stands
alone; with true, one failure rolls every write of the call back and the other records report
ALL_OR_NONE_OPERATION_ROLLED_BACK. An injected "lock" fault fails the call's first records with
UNABLE_TO_LOCK_ROW without applying them.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ApiError
from ..records.ids import normalize_id
from ..server.messages import Request, Response, Route, json_response
from .render import render_record
from .sobjects import requested_fields

MAX_RECORDS = 200
MAX_RETRIEVE_IDS = 2000
ROLLED_BACK_ERROR = {
    "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "message": "Record rolled back because not all records were valid and the request was "
    "using AllOrNone header",
    "fields": [],
}


@dataclass
class Operation:
    """One record's write: `run()` returns the success result or raises ApiError; `known`
    is what its result shows even on failure (the id of an update or delete)."""

    run: Callable[[], dict]
    known: dict


def create(app, request: Request) -> Response:
    records, all_or_none = _records_body(request)
    user_id = request.session.user_id
    operations = [
        Operation(_creator(app, sobject, fields, user_id), {})
        for sobject, fields in _typed(app, records)
    ]
    return _execute(app, request, operations, all_or_none)


def update(app, request: Request) -> Response:
    records, all_or_none = _records_body(request)
    user_id = request.session.user_id
    operations = []
    for sobject, fields in _typed(app, records):
        record_id = next((fields.pop(name) for name in list(fields) if name.lower() == "id"), None)
        operations.append(
            Operation(_updater(app, sobject, record_id, fields, user_id), {"id": record_id})
        )
    return _execute(app, request, operations, all_or_none)


def upsert(app, request: Request, obj: str, field: str) -> Response:
    records, all_or_none = _records_body(request)
    sobject = app.store.object_type(obj)
    spec = sobject.field(field)
    if spec is None or not spec.id_lookup:
        raise ApiError(
            "INVALID_FIELD",
            f"Field name provided, {field} is not an External ID or indexed field for "
            f"{sobject.name}",
        )
    typed = _typed(app, records)
    if any(record_type is not sobject for record_type, _ in typed):
        raise ApiError("INVALID_TYPE", f"All records must be of type {sobject.name}")
    keys = [_key_value(fields, spec.name) for _, fields in typed]
    counts = Counter(str(key).lower() for key in keys if key not in (None, ""))
    duplicates = {key for key, count in counts.items() if count > 1}
    user_id = request.session.user_id
    operations = [
        Operation(_upserter(app, sobject, spec.name, key, fields, duplicates, user_id), {})
        for (_, fields), key in zip(typed, keys, strict=True)
    ]
    return _execute(app, request, operations, all_or_none)


def _key_value(fields: dict, key_field: str):
    return next((v for k, v in fields.items() if k.lower() == key_field.lower()), None)


def delete(app, request: Request) -> Response:
    ids = [part for part in (request.param("ids") or "").split(",") if part]
    if not ids:
        raise ApiError("MISSING_ARGUMENT", "ids parameter is required")
    _check_count(len(ids), MAX_RECORDS)
    all_or_none = (request.param("allOrNone") or "false").lower() == "true"
    user_id = request.session.user_id
    operations = [
        Operation(_deleter(app, record_id, user_id), {"id": record_id}) for record_id in ids
    ]
    return _execute(app, request, operations, all_or_none)


def retrieve(app, request: Request, obj: str) -> Response:
    sobject = app.store.object_type(obj)
    if request.method == "POST":
        body = request.json() or {}
        ids, fields = body.get("ids") or [], ",".join(body.get("fields") or [])
    else:
        ids, fields = (request.param("ids") or "").split(","), request.param("fields") or ""
    if not fields:
        raise ApiError("MISSING_ARGUMENT", "fields parameter is required")
    names = requested_fields(sobject, fields)
    _check_count(len(ids), MAX_RETRIEVE_IDS)
    with app.store.lock:
        results = [
            _retrieved(app, request, sobject, record_id, names) for record_id in ids if record_id
        ]
    return json_response(results)


def _retrieved(app, request, sobject, record_id, names) -> dict | None:
    normalized = normalize_id(record_id)
    if normalized is None:
        raise ApiError("MALFORMED_ID", f"malformed id {record_id}")
    record = app.store.record(normalized) if normalized[:3] == sobject.key_prefix else None
    if record is None or record.get("IsDeleted"):
        return None
    return render_record(request.data_base, sobject.name, record, names, blobs=sobject.blob_fields)


def _execute(app, request: Request, operations: list[Operation], all_or_none: bool) -> Response:
    results, failed = [], False
    with app.store.atomic():
        for index, operation in enumerate(operations):
            try:
                if index < request.lock_records:
                    raise locked_error()
                results.append(operation.run())
            except ApiError as error:
                failed = True
                results.append(
                    {**operation.known, "success": False, "errors": [error.as_record_error()]}
                )
        if failed and all_or_none:
            app.store.rollback()
            results = [
                result if not result["success"] else
                {**operation.known, "success": False, "errors": [ROLLED_BACK_ERROR]}
                for result, operation in zip(results, operations, strict=True)
            ]  # fmt: skip
    return json_response(results)


def locked_error() -> ApiError:
    return ApiError("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")


def _creator(app, sobject, fields, user_id):
    def run():
        record_id = app.store.insert(sobject.name, fields, user_id)
        return {"id": record_id, "success": True, "errors": []}

    return run


def _updater(app, sobject, record_id, fields, user_id):
    def run():
        if not record_id:
            raise ApiError("MISSING_ARGUMENT", "Id not specified in an update call", fields=["Id"])
        app.store.update(sobject.name, record_id, fields, user_id)
        return {"id": normalize_id(record_id), "success": True, "errors": []}

    return run


def _upserter(app, sobject, field, key, fields, duplicates, user_id):
    def run():
        if key is None or key == "":
            raise ApiError("MISSING_ARGUMENT", f"{field} not specified", fields=[field])
        if str(key).lower() in duplicates:
            raise ApiError("DUPLICATE_EXTERNAL_ID", f"Duplicate external id specified: {key}",
                           fields=[field])  # fmt: skip
        record_id, created = app.store.upsert(sobject.name, field, str(key), fields, user_id)
        return {"id": record_id, "success": True, "errors": [], "created": created}

    return run


def _deleter(app, record_id, user_id):
    def run():
        normalized = normalize_id(record_id)
        sobject = app.store.schema.for_id(normalized) if normalized else None
        if sobject is None:
            raise ApiError("MALFORMED_ID", f"malformed id {record_id}")
        app.store.delete(sobject.name, normalized, user_id)
        return {"id": normalized, "success": True, "errors": []}

    return run


def _records_body(request: Request) -> tuple[list, bool]:
    body = request.json()
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ApiError("JSON_PARSER_ERROR", "Expected a JSON object with a list of records")
    _check_count(len(records), MAX_RECORDS)
    return records, bool(body.get("allOrNone", False))


def _typed(app, records: list[dict]) -> list[tuple]:
    """(object type, fields without attributes) per record; every record must name its type."""
    typed = []
    for record in records:
        object_name = (record.get("attributes") or {}).get("type")
        if not object_name:
            raise ApiError("INVALID_TYPE", "No SObject Type defined in JSON")
        sobject = app.store.schema.get(object_name)
        if sobject is None:
            raise ApiError("INVALID_TYPE", f"sObject type '{object_name}' is not supported.")
        typed.append((sobject, {k: v for k, v in record.items() if k != "attributes"}))
    return typed


def _check_count(count: int, maximum: int) -> None:
    if count > maximum:
        raise ApiError(
            "EXCEEDED_ID_LIMIT",
            f"record limit reached. cannot submit more than {maximum} records into this call",
        )


ROUTES = [
    Route("POST", r"composite/sobjects/?", create, writes="records"),
    Route("PATCH", r"composite/sobjects/?", update, writes="records"),
    Route("DELETE", r"composite/sobjects/?", delete, writes="records"),
    Route("PATCH", r"composite/sobjects/(?P<obj>\w+)/(?P<field>\w+)/?", upsert, writes="records"),
    Route("POST", r"composite/sobjects/(?P<obj>\w+)/?", retrieve),
    Route("GET", r"composite/sobjects/(?P<obj>\w+)/?", retrieve),
]
