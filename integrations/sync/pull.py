"""Pulling: Salesforce rows changed since an object's watermark → a handler, batch by batch.

One `queryAll` per object reads every row whose SystemModstamp passed the watermark (minus an
overlap window), deleted rows included, ordered by SystemModstamp so the watermark can move
after each batch. A row we already saw (same SystemModstamp) or whose values equal what both
sides last agreed on changes nothing: a value we wrote is never imported back as a change.
A query Salesforce refuses for a field because the org no longer has the state and country
picklists the settings say it has is a settings problem, reported as one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.utils.dateparse import parse_datetime

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.exceptions import ConfigurationError, PermanentError
from integrations.models import SyncCursor
from integrations.salesforce import soql
from integrations.sync.cycle import Cycle
from integrations.sync.mapping_validation import PICKLISTS_HINT, picklists_missing
from integrations.sync.recorder import Recorder
from integrations.sync.rules.fields import FieldMap
from integrations.sync.rules.merge import merge_row

AUDIT_FIELDS = ["SystemModstamp", "LastModifiedDate"]
Apply = Callable[..., None]


def pull_changes(cycle: Cycle, sobject: str, base_fields: list[str], *, apply: Apply) -> None:
    """Hand every change of one object since its watermark to `apply`, batch by batch."""
    cursor = SyncCursor.objects.filter(salesforce_object=sobject).first()
    cursor = cursor or SyncCursor(salesforce_object=sobject)
    maps, fields = pulled_fields(cycle, sobject, base_fields)
    where = _changes_since(cursor, cycle.client.user_id)
    statement = soql.select(sobject, fields, where=where, order_by="SystemModstamp, Id")
    rows = _rows(cycle, sobject, statement, maps)
    for batch in _chunks(rows, conf.get("SYNC_BATCH_SIZE")):
        _apply_batch(cycle, sobject, batch, maps, apply=apply)
        cursor.last_modstamp = max(row["SystemModstamp"] for row in batch)
        cycle.store.save(cursor)
        cycle.advance(len(batch))


def pulled_fields(
    cycle: Cycle, sobject: str, base_fields: list[str]
) -> tuple[list[FieldMap], list[str]]:
    """The object's field maps, and every field a pull of it selects."""
    maps = cycle.field_maps(sobject)
    return maps, base_fields + AUDIT_FIELDS + [item.salesforce for item in maps if item.reads]


def apply_rows(
    cycle: Cycle, sobject: str, rows: Iterable[dict], maps: list[FieldMap], *, apply: Apply
) -> None:
    """Hand rows read by other means than the watermark (e.g. by id, selecting
    `pulled_fields`) to `apply` batch by batch, as a pull does; no watermark moves."""
    for batch in _chunks(rows, conf.get("SYNC_BATCH_SIZE")):
        _apply_batch(cycle, sobject, batch, maps, apply=apply)
        cycle.advance(len(batch))


def merge_into(
    record,
    row: dict,
    maps: list[FieldMap],
    *,
    operation: Operation,
    sobject: str,
    recorder: Recorder,
    now: datetime,
    extra_changes: list[dict] = (),
) -> None:
    """Merge the row into the record and note the event (once the record has a key);
    `extra_changes` are what the caller changed besides the mapped fields (e.g. links)."""
    changes, push = merge_row(record, row, maps)
    changes = [*changes, *extra_changes]
    if push:  # a local value won: the push sends it
        record.local_modified_at = now
    elif operation != Operation.UPDATE:
        record.salesforce_synced_at = now
    if changes or operation != Operation.UPDATE:
        recorder.event_when_saved(
            record,
            direction=Direction.INBOUND,
            operation=operation,
            salesforce_object=sobject,
            salesforce_id=row["Id"],
            changes=changes,
        )


def _apply_batch(
    cycle: Cycle, sobject: str, batch: list[dict], maps: list[FieldMap], *, apply: Apply
) -> None:
    for row in batch:
        row["SystemModstamp"] = parse_datetime(row["SystemModstamp"])
        row["LastModifiedDate"] = parse_datetime(row["LastModifiedDate"])
    apply(cycle, sobject, batch, maps)
    cycle.recorder.flush()


def _rows(cycle: Cycle, sobject: str, statement: str, maps: list[FieldMap]) -> Iterator[dict]:
    """The query's rows; a refused *Code field the picklists setting asked for is a
    ConfigurationError naming the setting (the org changed since it was turned on)."""
    try:
        yield from cycle.client.query(statement, include_deleted=True)
    except PermanentError as error:
        coded = [(sobject, item.salesforce) for item in maps if item.geo and item.reads]
        if error.code != "INVALID_FIELD" or not coded:
            raise
        fields = cycle.client.fields(sobject, fresh=True)
        missing = picklists_missing(fields_of=lambda _: fields, wanted=coded)
        if not missing:
            raise
        raise ConfigurationError(
            "State and country picklists are on in the sync settings, but the Salesforce org "
            f"has none (no {', '.join(missing)} field).",
            code="INVALID_SETTINGS",
            hint=PICKLISTS_HINT,
        ) from error


def _changes_since(cursor: SyncCursor, integration_user_id: str) -> str:
    """Rows past the watermark (less the overlap) that someone else changed or deleted.

    Rows last modified by the integration user are our own writes: skipping them in the
    query (Salesforce's advice for two-way syncs) keeps a cycle after a big push from
    reading everything back. Deletions are read whoever made them.
    """
    conditions = []
    if cursor.last_modstamp:
        since = cursor.last_modstamp - timedelta(seconds=conf.get("SYNC_OVERLAP_SECONDS"))
        conditions.append(soql.format_soql("SystemModstamp >= {}", since))
    if integration_user_id:
        conditions.append(
            soql.format_soql("(LastModifiedById != {} OR IsDeleted = true)", integration_user_id)
        )
    return " AND ".join(conditions)


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
