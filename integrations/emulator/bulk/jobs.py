"""Bulk API 2.0 ingest jobs: create, upload CSV, close, poll, fetch results.

A closed job (UploadComplete) is processed in a background thread in chunks of 200 records,
each record on its own (one bad row never fails the others), so clients must poll: the first
poll after closing always reports InProgress. Results come back as CSV with Salesforce's
`sf__Id`, `sf__Created` and `sf__Error` columns; "#N/A" in the data sets a field to null and an
empty value leaves it unset.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import ApiError, not_found
from ..records.ids import make_id, normalize_id
from ..records.values import format_datetime
from ..server.messages import Request, Response, Route, empty_response, json_response, text_response
from . import csv_format

OPERATIONS = frozenset({"insert", "update", "upsert", "delete", "hardDelete"})
CHUNK_SIZE = 200
TERMINAL_STATES = frozenset({"JobComplete", "Failed", "Aborted"})


@dataclass
class IngestJob:
    id: str
    object_name: str
    operation: str
    external_id_field: str | None
    line_ending: str
    column_delimiter: str
    api_version: str
    created_by: str
    created_at: datetime
    state: str = "Open"
    upload: bytes | None = None  # Salesforce takes one upload per job
    header: list[str] = field(default_factory=list)
    successful: list[list[str]] = field(default_factory=list)
    failed: list[list[str]] = field(default_factory=list)
    unprocessed: list[list[str]] = field(default_factory=list)
    error_message: str = ""
    lock_records: int = 0
    reported_in_progress: bool = False
    processing_ms: int = 0

    def info(self, *, state: str | None = None) -> dict:
        info = {
            "id": self.id, "operation": self.operation, "object": self.object_name,
            "createdById": self.created_by, "createdDate": format_datetime(self.created_at),
            "systemModstamp": format_datetime(self.created_at), "state": state or self.state,
            "concurrencyMode": "Parallel", "contentType": "CSV",
            "apiVersion": float(self.api_version), "jobType": "V2Ingest",
            "contentUrl": f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches",
            "lineEnding": self.line_ending, "columnDelimiter": self.column_delimiter,
            "numberRecordsProcessed": len(self.successful) + len(self.failed),
            "numberRecordsFailed": len(self.failed), "retries": 0,
            "totalProcessingTime": self.processing_ms,
            "apiActiveProcessingTime": self.processing_ms, "apexProcessingTime": 0,
        }  # fmt: skip
        if self.external_id_field:
            info["externalIdFieldName"] = self.external_id_field
        if self.error_message:
            info["errorMessage"] = self.error_message
        return info


class BulkJobs:
    """The org's ingest jobs; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self._jobs: dict[str, IngestJob] = {}
        self._serial = 0

    def add(self, **attributes) -> IngestJob:
        with self.lock:
            self._serial += 1
            job = IngestJob(id=make_id("750", self._serial), **attributes)
            self._jobs[job.id] = job
            return job

    def get(self, job_id: str) -> IngestJob:
        with self.lock:
            job = self._jobs.get(normalize_id(job_id) or "")
        if job is None:
            raise not_found()
        return job

    def remove(self, job_id: str) -> None:
        with self.lock:
            self._jobs.pop(job_id, None)

    def all(self) -> list[IngestJob]:
        with self.lock:
            return list(self._jobs.values())


def create_job(app, request: Request) -> Response:
    spec = request.json()
    if not isinstance(spec, dict):
        raise _invalid_job("request body must be a JSON object")
    sobject = app.store.schema.get(spec.get("object") or "")
    if sobject is None:
        raise ApiError(
            "INVALIDENTITY", f"Entity '{spec.get('object')}' is not supported by the Bulk API."
        )
    operation = spec.get("operation")
    if operation not in OPERATIONS:
        raise _invalid_job(f"InvalidJob : Invalid operation: {operation}")
    external_id = _external_id_field(sobject, operation, spec.get("externalIdFieldName"))
    if spec.get("contentType", "CSV") != "CSV":
        raise _invalid_job(f"InvalidJob : Unsupported content type: {spec.get('contentType')}")
    line_ending = spec.get("lineEnding", "LF")
    delimiter = spec.get("columnDelimiter", "COMMA")
    if line_ending not in csv_format.LINE_ENDINGS or delimiter not in csv_format.DELIMITERS:
        raise _invalid_job("InvalidJob : Invalid lineEnding or columnDelimiter")
    job = app.jobs.add(
        object_name=sobject.name, operation=operation, external_id_field=external_id,
        line_ending=line_ending, column_delimiter=delimiter, api_version=request.version,
        created_by=request.session.user_id, created_at=app.store.now(),
    )  # fmt: skip
    return json_response(job.info())


def _external_id_field(sobject, operation: str, name: str | None) -> str | None:
    if operation != "upsert":
        return None
    spec = sobject.field(name or "")
    if spec is None or not spec.id_lookup:
        raise _invalid_job(
            f"InvalidJob : External ID was blank for {sobject.name}. An External ID must be "
            "specified for upsert."
            if not name
            else f"InvalidJob : Field name not found : {name}"
        )
    return spec.name


def upload(app, request: Request, job_id: str) -> Response:
    job = app.jobs.get(job_id)
    if not (request.header("Content-Type") or "").startswith("text/csv"):
        raise ApiError("INVALIDJOB", "InvalidJob : Content-Type must be text/csv")
    with app.jobs.lock:
        if job.state != "Open":
            raise _invalid_state(job)
        if job.upload is not None:
            raise ApiError(
                "BULK_API_ERROR",
                f"Found multiple contents for job: <{job.id}>, please 'Close' / 'Abort' / "
                "'Delete' the current Job then create a new Job and make sure the content is "
                "uploaded in one batch",
            )
        job.upload = request.body
    return empty_response(201)


def change_state(app, request: Request, job_id: str) -> Response:
    job = app.jobs.get(job_id)
    wanted = (request.json() or {}).get("state")
    with app.jobs.lock:
        if wanted == "UploadComplete" and job.state == "Open":
            job.state = "UploadComplete"
            job.lock_records = request.lock_records
            threading.Thread(target=_process, args=(app, job), daemon=True).start()
        elif wanted == "Aborted" and job.state not in TERMINAL_STATES:
            job.state = "Aborted"
        else:
            raise _invalid_state(job)
        return json_response(job.info())


def job_info(app, request: Request, job_id: str) -> Response:
    job = app.jobs.get(job_id)
    with app.jobs.lock:
        if job.state != "Open" and job.state != "Aborted" and not job.reported_in_progress:
            job.reported_in_progress = True
            return json_response(job.info(state="InProgress"))
        return json_response(job.info())


def list_jobs(app, request: Request) -> Response:
    with app.jobs.lock:
        records = [job.info() for job in app.jobs.all()]
    return json_response({"done": True, "records": records, "nextRecordsUrl": None})


def successful_results(app, request: Request, job_id: str) -> Response:
    job = _finished(app, job_id)
    header = ["sf__Id", "sf__Created", *job.header]
    return text_response(csv_format.write(header, job.successful), content_type="text/csv")


def failed_results(app, request: Request, job_id: str) -> Response:
    job = _finished(app, job_id)
    header = ["sf__Id", "sf__Error", *job.header]
    return text_response(csv_format.write(header, job.failed), content_type="text/csv")


def unprocessed_records(app, request: Request, job_id: str) -> Response:
    job = _finished(app, job_id)
    return text_response(csv_format.write(job.header, job.unprocessed), content_type="text/csv")


def delete_job(app, request: Request, job_id: str) -> Response:
    job = app.jobs.get(job_id)
    if job.state not in TERMINAL_STATES | {"UploadComplete"}:
        raise _invalid_state(job)
    app.jobs.remove(job.id)
    return empty_response()


def _finished(app, job_id: str) -> IngestJob:
    job = app.jobs.get(job_id)
    if job.state not in TERMINAL_STATES:
        raise _invalid_state(job)
    return job


def _process(app, job: IngestJob) -> None:
    """Run a closed job: parse its CSV, then write it chunk by chunk."""
    started = time.monotonic()
    with app.jobs.lock:
        if job.state != "UploadComplete":
            return
        job.state = "InProgress"
    try:
        header, rows = csv_format.parse(job.upload, job.line_ending, job.column_delimiter)
        job.header = csv_format.canonical_header(
            app.store.object_type(job.object_name), job, header
        )
    except csv_format.BulkDataError as error:
        _finish(app, job, "Failed", started, error_message=str(error))
        return
    for start in range(0, len(rows), CHUNK_SIZE):
        if job.state == "Aborted":
            job.unprocessed.extend(rows[start:])
            break
        with app.store.lock:
            for offset, row in enumerate(rows[start : start + CHUNK_SIZE]):
                _process_row(app, job, row, locked=start + offset < job.lock_records)
    _finish(app, job, "JobComplete", started)


def _finish(app, job: IngestJob, state: str, started: float, error_message: str = "") -> None:
    with app.jobs.lock:
        job.processing_ms = int((time.monotonic() - started) * 1000)
        job.error_message = error_message
        if job.state != "Aborted":
            job.state = state


def _process_row(app, job: IngestJob, row: list[str], *, locked: bool) -> None:
    record_id = row[job.header.index("Id")] if "Id" in job.header[: len(row)] else ""
    try:
        if locked:
            raise ApiError("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")
        if len(row) != len(job.header):
            raise ApiError("INVALID_FIELD", "Wrong number of columns in this row")
        record_id, created = _apply(app, job, csv_format.row_fields(job.header, row))
    except ApiError as error:
        job.failed.append([record_id, error.as_bulk_error(), *row])
    else:
        job.successful.append([record_id, "true" if created else "false", *row])


def _apply(app, job: IngestJob, fields: dict) -> tuple[str, bool]:
    """Write one row; (18-character id, whether it was created)."""
    store, user_id, obj = app.store, job.created_by, job.object_name
    values = {name: value for name, value in fields.items() if value != ""}
    if job.operation == "insert":
        return store.insert(obj, values, user_id), True
    if job.operation == "upsert":
        key = values.pop(job.external_id_field, None)
        if key is None:
            raise ApiError("MISSING_ARGUMENT", f"{job.external_id_field} not specified")
        return store.upsert(obj, job.external_id_field, key, values, user_id)
    record_id = values.pop("Id", None)
    if not record_id:
        raise ApiError("MISSING_ARGUMENT", "Id not specified in an update call", fields=["Id"])
    if job.operation == "update":
        store.update(obj, record_id, values, user_id)
    elif job.operation == "delete":
        store.delete(obj, record_id, user_id)
    else:
        store.hard_delete(obj, record_id)
    return normalize_id(record_id), False


def _invalid_job(message: str) -> ApiError:
    return ApiError("INVALIDJOB", message)


def _invalid_state(job: IngestJob) -> ApiError:
    return ApiError("INVALIDJOBSTATE", f"Found invalid state: {job.state} for job {job.id}")


ROUTES = [
    Route("POST", r"jobs/ingest/?", create_job),
    Route("GET", r"jobs/ingest/?", list_jobs),
    Route("PUT", r"jobs/ingest/(?P<job_id>750\w+)/batches/?", upload, writes="data"),
    Route("PATCH", r"jobs/ingest/(?P<job_id>750\w+)/?", change_state, writes="records"),
    Route("GET", r"jobs/ingest/(?P<job_id>750\w+)/?", job_info),
    Route("DELETE", r"jobs/ingest/(?P<job_id>750\w+)/?", delete_job),
    Route("GET", r"jobs/ingest/(?P<job_id>750\w+)/successfulResults/?", successful_results),
    Route("GET", r"jobs/ingest/(?P<job_id>750\w+)/failedResults/?", failed_results),
    Route("GET", r"jobs/ingest/(?P<job_id>750\w+)/unprocessedrecords/?", unprocessed_records),
]
