"""Bulk API 2.0 ingest for large writes, with per-record results.

One job per upload (Salesforce takes one upload per job, at most 150 MB): create the job,
upload the CSV (once: a lost answer is never followed by a second upload), mark it
UploadComplete (once: a lost answer is settled by reading the job's state, never by closing
it again), poll with growing intervals until it finishes, then
read successfulResults and failedResults. Results carry the original columns, which is how
each result row is matched back to its input record (identical input rows are
interchangeable). Every step goes through the client, so session renewal, retries and the
API limit apply to each call; a job costs a handful of calls whatever its size.
"""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from integrations import conf
from integrations.exceptions import PermanentError, TransientError
from integrations.salesforce.results import RecordError, RecordResult
from integrations.salesforce.transport import Transport

OPERATIONS = frozenset({"insert", "update", "upsert", "delete", "hardDelete"})
FINISHED = frozenset({"JobComplete", "Failed", "Aborted"})
NULL = "#N/A"  # Bulk API 2.0's way to set a field to null


def ingest(
    client: Transport,
    operation: str,
    sobject: str,
    records: Sequence[dict],
    *,
    external_id_field: str | None = None,
) -> list[RecordResult]:
    """Write all records through Bulk API 2.0; results in input order."""
    if operation not in OPERATIONS:
        raise ValueError(f"Unknown Bulk API 2.0 operation {operation!r}")
    if operation == "upsert" and not external_id_field:
        raise ValueError("An upsert needs external_id_field")
    columns = list(dict.fromkeys(name for record in records for name in record))
    results: list[RecordResult] = []
    for offset, rows in _uploads(records, columns):
        job_results = _run_job(client, operation, sobject, columns, rows, external_id_field)
        results.extend(_shift(result, offset) for result in job_results)
    return results


def _uploads(records: Sequence[dict], columns: list[str]):
    """Yield (offset, csv rows) batches, each under the upload size limit."""
    limit = conf.get("BULK_UPLOAD_MAX_BYTES")
    batch: list[list[str]] = []
    size, offset = 0, 0
    for record in records:
        row = [_cell(record.get(column), present=column in record) for column in columns]
        row_size = sum(len(cell) + 3 for cell in row)
        if batch and size + row_size > limit:
            yield offset, batch
            offset += len(batch)
            batch, size = [], 0
        batch.append(row)
        size += row_size
    if batch:
        yield offset, batch


def _cell(value, *, present: bool) -> str:
    if value is None:
        return NULL if present else ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _run_job(client, operation, sobject, columns, rows, external_id_field) -> list[RecordResult]:
    spec = {"object": sobject, "operation": operation, "contentType": "CSV", "lineEnding": "LF"}
    if external_id_field:
        spec["externalIdFieldName"] = external_id_field
    job = client.request("POST", "jobs/ingest", json=spec, idempotent=False)
    job_id = job["id"]
    uploaded = _upload(client, job_id, _csv(columns, rows).encode("utf-8"))
    _close(client, job_id)
    job = _wait(client, job_id)
    if job["state"] != "JobComplete" and not uploaded:
        raise TransientError(
            f"Bulk job {job_id} ended {job['state']}: the answer to its upload was lost and "
            "Salesforce processed no data.",
            code="BULK_UPLOAD_LOST",
            hint="Nothing was written; the next run sends these records again.",
        )
    if job["state"] != "JobComplete":
        raise PermanentError(
            f"Bulk job {job_id} ended {job['state']}: {job.get('errorMessage', 'no message')}",
            code="BULK_JOB_FAILED",
            hint="Open the job in Salesforce Setup → Bulk Data Load Jobs for details.",
        )
    return _results(client, job_id, columns, rows)


def _upload(client, job_id: str, body: bytes) -> bool:
    """Upload the job's CSV; False when the answer was lost. Salesforce takes one upload per
    job (a second one is refused: "Found multiple contents for job"), so a lost answer is not
    sent again: the job is closed as it is. If the data arrived, the job runs it; if not,
    Salesforce fails the empty job, nothing is written, and the caller hears so."""
    try:
        client.request_raw(
            "PUT",
            f"jobs/ingest/{job_id}/batches",
            data=body,
            headers={"Content-Type": "text/csv"},
            idempotent=False,
        )
    except TransientError as error:
        if not error.outcome_unknown:
            raise
        return False
    return True


def _close(client, job_id: str) -> None:
    """Mark the upload complete. A state change is not blindly repeated: Salesforce refuses
    to close a job twice (INVALIDJOBSTATE), so when the answer is lost the job's state says
    whether the close arrived, and only a job still Open is closed again."""
    path = f"jobs/ingest/{job_id}"
    try:
        client.request("PATCH", path, json={"state": "UploadComplete"}, idempotent=False)
    except TransientError as error:
        if not error.outcome_unknown:
            raise
    except PermanentError as error:
        if error.code != "INVALIDJOBSTATE":
            raise
    else:
        return
    if client.request("GET", path)["state"] == "Open":  # the close never arrived
        client.request("PATCH", path, json={"state": "UploadComplete"}, idempotent=False)


def _csv(columns: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def _wait(client, job_id: str) -> dict:
    interval = conf.get("BULK_POLL_INITIAL")
    deadline = time.monotonic() + conf.get("BULK_TIMEOUT")
    while True:
        job = client.request("GET", f"jobs/ingest/{job_id}")
        if job["state"] in FINISHED:
            return job
        if time.monotonic() > deadline:
            raise TransientError(
                f"Bulk job {job_id} still {job['state']} after {conf.get('BULK_TIMEOUT')}s.",
                code="TIMEOUT",
                hint="The job goes on in Salesforce; the next run picks up what it wrote.",
            )
        time.sleep(interval)
        interval = min(interval * 2, conf.get("BULK_POLL_MAX"))


def _results(client, job_id: str, columns: list[str], rows: list[list[str]]) -> list[RecordResult]:
    """Read both result files and match each row back to its input position."""
    positions: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        positions[_key(row)].append(index)
    results: dict[int, RecordResult] = {}
    for kind in ("successfulResults", "failedResults"):
        response = client.request_raw(
            "GET", f"jobs/ingest/{job_id}/{kind}/", headers={"Accept": "text/csv"}
        )
        for line in csv.DictReader(io.StringIO(response.content.decode("utf-8"))):
            key = _key(line.get(column, "") for column in columns)
            if not positions.get(key):
                continue
            index = positions[key].pop(0)
            results[index] = _result(index, line)
    missing = [index for index in range(len(rows)) if index not in results]
    for index in missing:  # Salesforce did not process them (e.g. the job was aborted)
        results[index] = RecordResult(
            index=index,
            success=False,
            errors=(RecordError("NOT_PROCESSED", "Salesforce did not process this record."),),
        )
    return [results[index] for index in range(len(rows))]


def _key(cells) -> tuple[str, ...]:
    """A row's identity for matching results; a null may come back as #N/A or empty."""
    return tuple("" if cell == NULL else cell for cell in cells)


def _result(index: int, line: dict) -> RecordResult:
    error = line.get("sf__Error")
    if error:
        code, _, message = error.partition(":")
        return RecordResult(
            index=index,
            success=False,
            id=line.get("sf__Id") or None,
            errors=(RecordError(code.strip(), message.strip()),),
        )
    return RecordResult(
        index=index,
        success=True,
        id=line.get("sf__Id") or None,
        created=line.get("sf__Created", "").lower() == "true",
    )


def _shift(result: RecordResult, offset: int) -> RecordResult:
    if not offset:
        return result
    return RecordResult(
        index=result.index + offset,
        success=result.success,
        id=result.id,
        created=result.created,
        errors=result.errors,
    )
