"""sObject Collections: create, update, upsert and delete in chunks of 200.

Every call uses `allOrNone=false`, so one record's error never fails the others; results
come back per input record, in input order. Records that failed only because Salesforce
could not lock a row (UNABLE_TO_LOCK_ROW) were not written and are sent again, a bounded
number of times, with back-off.

REST applies a Lead's active assignment rules on every create and update unless told not to
(Sforce-Auto-Assign, TRUE by default), and a rule may replace the owner sent. A chunk of Leads
in which one names an OwnerId therefore goes with `Sforce-Auto-Assign: FALSE` (its others are
then the integration user's, as the history says); a chunk naming no owner keeps the org's
rules.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from integrations import conf
from integrations.salesforce import soql
from integrations.salesforce.results import RecordError, RecordResult
from integrations.salesforce.transport import Transport

LOCK_ERROR = "UNABLE_TO_LOCK_ROW"
# Objects whose assignment rules may replace the owner a REST write sends.
ASSIGNED = frozenset({"Lead"})
KEEP_OWNER = {"Sforce-Auto-Assign": "FALSE"}

# One chunk of input records (with their input indexes) -> the raw result list.
SendChunk = Callable[[list[dict]], list[dict]]


def create(client: Transport, sobject: str, records: Sequence[dict]) -> list[RecordResult]:
    def send(chunk: list[dict]) -> list[dict]:
        payload = {"allOrNone": False, "records": [_typed(sobject, record) for record in chunk]}
        return client.request("POST", "composite/sobjects", json=payload, idempotent=False,
                              headers=_headers(sobject, chunk))  # fmt: skip

    return _run(records, send, creates=True)


def update(client: Transport, sobject: str, records: Sequence[dict]) -> list[RecordResult]:
    def send(chunk: list[dict]) -> list[dict]:
        payload = {"allOrNone": False, "records": [_typed(sobject, record) for record in chunk]}
        return client.request(
            "PATCH", "composite/sobjects", json=payload, headers=_headers(sobject, chunk)
        )

    return _run(records, send)


def upsert(
    client: Transport, sobject: str, external_id_field: str, records: Sequence[dict]
) -> list[RecordResult]:
    path = f"composite/sobjects/{soql.identifier(sobject)}/{soql.identifier(external_id_field)}"

    def send(chunk: list[dict]) -> list[dict]:
        payload = {"allOrNone": False, "records": [_typed(sobject, record) for record in chunk]}
        return client.request("PATCH", path, json=payload, headers=_headers(sobject, chunk))

    return _run(records, send)


def delete(client: Transport, ids: Sequence[str]) -> list[RecordResult]:
    def send(chunk: list[dict]) -> list[dict]:
        params = {"ids": ",".join(item["Id"] for item in chunk), "allOrNone": "false"}
        return client.request("DELETE", "composite/sobjects", params=params)

    return _run([{"Id": record_id} for record_id in ids], send)


def _headers(sobject: str, chunk: list[dict]) -> dict:
    """Assignment rules off for a chunk in which a record names its owner."""
    owned = sobject in ASSIGNED and any("OwnerId" in record for record in chunk)
    return KEEP_OWNER if owned else {}


def _typed(sobject: str, record: dict) -> dict:
    return {"attributes": {"type": sobject}, **record}


def _run(records: Sequence[dict], send: SendChunk, *, creates: bool = False) -> list[RecordResult]:
    """Send all records in chunks; retry lock failures; return results in input order."""
    results: dict[int, RecordResult] = {}
    pending = list(range(len(records)))
    size = conf.get("COLLECTION_SIZE")
    for attempt in range(1, conf.get("MAX_ATTEMPTS") + 1):
        locked: list[int] = []
        for start in range(0, len(pending), size):
            indexes = pending[start : start + size]
            raw = send([records[index] for index in indexes])
            for index, item in zip(indexes, raw, strict=True):
                result = _result(index, item, creates=creates)
                results[index] = result
                if result.error_codes == (LOCK_ERROR,):
                    locked.append(index)
        if not locked or attempt == conf.get("MAX_ATTEMPTS"):
            break
        pending = locked
        time.sleep(random.uniform(0, conf.get("RETRY_BACKOFF") * 2 ** (attempt - 1)))  # noqa: S311
    return [results[index] for index in range(len(records))]


def _result(index: int, item: dict, *, creates: bool) -> RecordResult:
    errors = tuple(
        RecordError(
            code=error.get("statusCode", ""),
            message=error.get("message", ""),
            fields=tuple(error.get("fields") or ()),
        )
        for error in item.get("errors") or ()
    )
    return RecordResult(
        index=index,
        success=bool(item.get("success")),
        id=item.get("id"),
        created=bool(item.get("created", creates and item.get("success"))),
        errors=errors,
    )
