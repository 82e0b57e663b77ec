"""The REST API's metadata and single-record resources under /services/data/vNN.N/.

Resources: the version's resource index, limits, global describe, sObject describe, record
create / retrieve / update / delete, upsert and retrieval by an external id or other idLookup
field, and the bytes of a base64 field. Records are written as the session's user (the
integration user for the product).
"""

import base64
from contextlib import contextmanager

from ..errors import ApiError, not_found
from ..records.ids import normalize_id
from ..records.store import MultipleMatchesError
from ..records.validation import FieldTypeError
from ..server.messages import Request, Response, Route, empty_response, json_response
from .render import render_record

NO_SUCH_COLUMN = (
    "No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, "
    "be sure to append the '__c' after the custom field name. Please reference your WSDL or the "
    "describe call for the appropriate names."
)
_RESERVED = r"(?!describe/?$|updated/?$|deleted/?$)"


def resources(app, request: Request) -> Response:
    base = request.data_base
    names = ("sobjects", "query", "queryAll", "limits", "composite", "jobs")
    return json_response({name: f"{base}/{name}" for name in names})


def limits(app, request: Request) -> Response:
    usage = app.usage
    return json_response({
        "DailyApiRequests": {"Max": usage.max, "Remaining": max(usage.max - usage.used, 0)},
        "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
        "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000},
        "DataStorageMB": {"Max": 1024, "Remaining": 1024},
        "FileStorageMB": {"Max": 1024, "Remaining": 1024},
    })  # fmt: skip


def global_describe(app, request: Request) -> Response:
    objects = app.store.schema.objects.values()
    return json_response({
        "encoding": "UTF-8", "maxBatchSize": 200,
        "sobjects": [sobject.summary(request.data_base) for sobject in objects],
    })  # fmt: skip


def sobject_info(app, request: Request, obj: str) -> Response:
    summary = app.store.object_type(obj).summary(request.data_base)
    return json_response({"objectDescribe": summary, "recentItems": []})


def describe(app, request: Request, obj: str) -> Response:
    return json_response(app.store.object_type(obj).describe(request.data_base))


def create(app, request: Request, obj: str) -> Response:
    sobject = app.store.object_type(obj)
    fields = record_body(request)
    with _json_parser_errors():
        record_id = app.store.insert(sobject.name, fields, request.session.user_id)
    return json_response({"id": record_id, "success": True, "errors": []}, 201)


def retrieve(app, request: Request, obj: str, record_id: str) -> Response:
    sobject = app.store.object_type(obj)
    with app.store.lock:
        record = _record_at(app, sobject, record_id)
        fields = requested_fields(sobject, request.param("fields"))
        rendered = render_record(
            request.data_base, sobject.name, record, fields, blobs=sobject.blob_fields
        )
        return json_response(rendered)


def update(app, request: Request, obj: str, record_id: str) -> Response:
    sobject = app.store.object_type(obj)
    fields = record_body(request)
    with app.store.lock, _json_parser_errors():
        record = _record_at(app, sobject, record_id)
        app.store.update(sobject.name, record["Id"], fields, request.session.user_id)
    return empty_response()


def delete(app, request: Request, obj: str, record_id: str) -> Response:
    sobject = app.store.object_type(obj)
    with app.store.lock:
        record = _record_at(app, sobject, record_id)
        app.store.delete(sobject.name, record["Id"], request.session.user_id)
    return empty_response()


def upsert(app, request: Request, obj: str, field: str, value: str) -> Response:
    sobject = app.store.object_type(obj)
    fields = record_body(request)
    try:
        with _json_parser_errors():
            record_id, created = app.store.upsert(
                sobject.name, field, value, fields, request.session.user_id
            )
    except MultipleMatchesError as error:
        urls = [f"{request.data_base}/sobjects/{sobject.name}/{i}" for i in error.ids]
        return json_response(urls, 300)
    body = {"id": record_id, "success": True, "errors": [], "created": created}
    return json_response(body, 201 if created else 200)


def retrieve_by_key(app, request: Request, obj: str, field: str, value: str) -> Response:
    blob_field = app.store.object_type(obj).field(value)
    if blob_field is not None and blob_field.type == "base64":
        return retrieve_blob(app, obj, field, blob_field.name)
    return retrieve(app, request, obj, _id_by_key(app, obj, field, value))


def retrieve_blob(app, obj: str, record_id: str, field: str) -> Response:
    """The raw bytes of a base64 field (`sobjects/ContentNote/{id}/Content`), as Salesforce
    serves them: records and queries only carry this URL."""
    sobject = app.store.object_type(obj)
    with app.store.lock:
        value = _record_at(app, sobject, record_id)[field]
    if value is None:
        raise not_found()
    return Response(200, base64.b64decode(value), content_type="application/octetstream")


def delete_by_key(app, request: Request, obj: str, field: str, value: str) -> Response:
    return delete(app, request, obj, _id_by_key(app, obj, field, value))


def _id_by_key(app, obj: str, field: str, value: str) -> str:
    sobject = app.store.object_type(obj)
    spec = sobject.field(field)
    if spec is None or not spec.id_lookup:
        raise _unknown_key_field(field)
    matches = app.store.find_live(sobject, spec.name, value)
    if len(matches) != 1:
        raise not_found()
    return matches[0]["Id"]


def record_body(request: Request) -> dict:
    """The JSON object of a record write, without its `attributes`."""
    body = request.json()
    if not isinstance(body, dict):
        raise ApiError(
            "JSON_PARSER_ERROR", "Cannot deserialize instance of SObject from a non-object"
        )
    return {name: value for name, value in body.items() if name != "attributes"}


def requested_fields(sobject, fields_param: str | None) -> list[str] | None:
    """Canonical names of a `fields=` list, or INVALID_FIELD for an unknown one."""
    if not fields_param:
        return None
    names = []
    for name in (part.strip() for part in fields_param.split(",")):
        spec = sobject.field(name)
        if spec is None:
            raise ApiError("INVALID_FIELD", NO_SUCH_COLUMN.format(name=name, entity=sobject.name))
        names.append(spec.name)
    return names


def _record_at(app, sobject, url_segment: str) -> dict:
    """The record a URL names; a segment that is no id is read as an unknown external-id
    field, as Salesforce does."""
    if normalize_id(url_segment) is None:
        raise _unknown_key_field(url_segment)
    if normalize_id(url_segment)[:3] != sobject.key_prefix:
        raise not_found()
    return app.store.existing(sobject, url_segment)


def _unknown_key_field(name: str) -> ApiError:
    return ApiError(
        "NOT_FOUND",
        f"Provided external ID field does not exist or is not accessible: {name}",
        status=404,
    )


@contextmanager
def _json_parser_errors():
    """On the single-record endpoints a value of the wrong type fails JSON parsing."""
    try:
        yield
    except FieldTypeError as error:
        raise error.as_json_parser_error() from error


ROUTES = [
    Route("GET", r"/?", resources),
    Route("GET", r"limits/?", limits),
    Route("GET", r"sobjects/?", global_describe),
    Route("GET", r"sobjects/(?P<obj>\w+)/?", sobject_info),
    Route("POST", r"sobjects/(?P<obj>\w+)/?", create, writes="record"),
    Route("GET", r"sobjects/(?P<obj>\w+)/describe/?", describe),
    Route("GET", rf"sobjects/(?P<obj>\w+)/{_RESERVED}(?P<record_id>[^/]+)", retrieve),
    Route(
        "PATCH", rf"sobjects/(?P<obj>\w+)/{_RESERVED}(?P<record_id>[^/]+)", update, writes="record"
    ),
    Route(
        "DELETE", rf"sobjects/(?P<obj>\w+)/{_RESERVED}(?P<record_id>[^/]+)", delete, writes="record"
    ),
    Route(
        "PATCH", r"sobjects/(?P<obj>\w+)/(?P<field>\w+)/(?P<value>[^/]+)", upsert, writes="record"
    ),
    Route("GET", r"sobjects/(?P<obj>\w+)/(?P<field>\w+)/(?P<value>[^/]+)", retrieve_by_key),
    Route(
        "DELETE",
        r"sobjects/(?P<obj>\w+)/(?P<field>\w+)/(?P<value>[^/]+)",
        delete_by_key,
        writes="record",
    ),
]
