"""Pushing: local records changed since their last sync → Salesforce, batch by batch.

Handlers match their unlinked records first (so a re-run after a crash links what the
crashed run created instead of duplicating it), then this module plans per Salesforce
object what to create and what to update (only the mapped fields that changed since both
sides last agreed, `sync_values`), holds back updates of records changed in Salesforce since
the cycle read them, and writes through `client.save` (collections of 200, Bulk API 2.0 above
the threshold). A record's error is recorded on that record and never blocks the others; one
refused for its owner is sent again with the fallback owner (`owner_fallback`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_datetime

from integrations.choices import Direction, Operation
from integrations.salesforce import soql
from integrations.salesforce.results import RecordError
from integrations.sync.cycle import Cycle
from integrations.sync.owner_fallback import OWNER, owner_fallback_save, owner_sent
from integrations.sync.recorder import Recorder
from integrations.sync.rules.fields import FieldMap
from integrations.sync.rules.payload import changed_values

# What a push writes on every record it handled.
LINK_FIELDS = ["salesforce_id", "salesforce_synced_at", "sync_values"]
SAVE_OPERATIONS = {Operation.CREATE: "insert", Operation.UPDATE: "update"}
DEFERRED = (
    "changed in Salesforce after this sync read it: the next run reads that change first, "
    "then sends what still differs"
)


@dataclass
class Writes:
    """What one batch sends to one Salesforce object: (record, values) pairs."""

    creates: list[tuple[object, dict]] = field(default_factory=list)
    updates: list[tuple[object, dict]] = field(default_factory=list)
    # Salesforce field -> local field of the mapped ones, so history names both
    local_names: dict[str, str] = field(default_factory=dict)


def unsynced(model, *, extra: Q | None = None, pending: Iterable[int] = ()) -> QuerySet:
    """Records changed here since their last sync (or never synced); `pending`: the pks
    of records the cycle left to push that the database does not show so (a preview's,
    `cycle.store.pending`)."""
    changed = Q(salesforce_synced_at__isnull=True) | Q(
        local_modified_at__gt=F("salesforce_synced_at")
    )
    query = Q(deleted_in_salesforce=False) & changed
    pending = list(pending)
    if pending:
        query |= Q(pk__in=pending)
    queryset = model.objects.filter(query)
    return queryset.filter(extra) if extra is not None else queryset


def batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """Keyset pagination by pk: constant memory however many rows there are."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def set_link(record, sobject: str, salesforce_id: str) -> None:
    record.salesforce_id = salesforce_id
    if hasattr(record, "salesforce_object"):  # people are Leads or Contacts
        record.salesforce_object = sobject


def link_found(record, sobject: str, row: dict, maps: list[FieldMap], recorder: Recorder):
    """Link a record to the Salesforce row a lookup found; its values become the agreed ones."""
    set_link(record, sobject, row["Id"])
    record.sync_values = {item.salesforce: row.get(item.salesforce) for item in maps}
    recorder.event(
        record,
        direction=Direction.OUTBOUND,
        operation=Operation.MATCH,
        salesforce_object=sobject,
        salesforce_id=row["Id"],
    )


def plan(
    records,
    *,
    sobject_of: Callable[[object], str],
    maps: dict[str, list[FieldMap]],
    create_defaults: Callable[[object, str], dict],
    recorder: Recorder,
    loaded_at: datetime,
) -> dict[str, Writes]:
    """Per Salesforce object: what to create and what to update; records with nothing to
    send are synced as they are."""
    writes: dict[str, Writes] = defaultdict(Writes)
    for record in records:
        sobject = sobject_of(record)
        payload = changed_values(record, maps[sobject], sobject)
        if not writes[sobject].local_names:
            writes[sobject].local_names = {item.salesforce: item.local for item in maps[sobject]}
        for name, reason in payload.problems:
            recorder.event(
                record,
                direction=Direction.OUTBOUND,
                operation=Operation.ERROR,
                salesforce_object=sobject,
                salesforce_id=record.salesforce_id,
                error=RecordError("FIELD_INTEGRITY_EXCEPTION", reason, (name,)),
            )
        values = payload.values
        if not record.salesforce_id:
            for name, value in create_defaults(record, sobject).items():
                if not values.get(name):
                    values[name] = value
            writes[sobject].creates.append((record, values))
        elif values:
            writes[sobject].updates.append((record, values))
        else:
            record.salesforce_synced_at = loaded_at
    return writes


def send(cycle: Cycle, writes: dict[str, Writes], loaded_at: datetime) -> None:
    for sobject, planned in writes.items():
        defer_changed(cycle, sobject, planned)
        _write(cycle, sobject, planned, loaded_at)


def defer_changed(cycle: Cycle, sobject: str, planned: Writes) -> None:
    """Hold back updates of records someone changed in Salesforce since this cycle read them.

    Sending now would overwrite a change the pull has not seen; the next cycle reads it
    first and then sends what still differs. Each record held back gets a history event
    saying so (the record's explanation reads it).
    """
    client = cycle.client
    if not planned.updates or not client.user_id:
        return
    where = soql.format_soql(
        "SystemModstamp >= {} AND LastModifiedById != {}", cycle.read_since, client.user_id
    )
    seen = {record.salesforce_id: record.salesforce_modstamp for record, _ in planned.updates}
    rows = client.query_in(
        sobject, ["Id", "SystemModstamp"], field="Id", values=list(seen), extra_where=where
    )
    changed = {
        row["Id"]
        for row in rows
        if seen[row["Id"]] is None or parse_datetime(row["SystemModstamp"]) > seen[row["Id"]]
    }
    if not changed:
        return
    kept = []
    for record, values in planned.updates:
        if record.salesforce_id not in changed:
            kept.append((record, values))
            continue
        cycle.recorder.event(
            record, direction=Direction.OUTBOUND, operation=Operation.SKIP,
            salesforce_object=sobject, salesforce_id=record.salesforce_id, message=DEFERRED,
        )  # fmt: skip
    planned.updates = kept


def _write(cycle: Cycle, sobject: str, planned: Writes, loaded_at: datetime) -> None:
    creates = [values for _, values in planned.creates]
    updates = [{"Id": record.salesforce_id, **values} for record, values in planned.updates]
    for operation, pairs, rows in (
        (Operation.CREATE, planned.creates, creates),
        (Operation.UPDATE, planned.updates, updates),
    ):
        if not rows:
            continue
        results, notes = owner_fallback_save(cycle, SAVE_OPERATIONS[operation], sobject, rows)
        for index, ((record, values), result) in enumerate(zip(pairs, results, strict=True)):
            owner_sent(values, rows[index])
            _record_result(cycle.recorder, record, sobject, values, result, operation, loaded_at,
                           local_names=planned.local_names,
                           message=notes.get(index, ""))  # fmt: skip


def _record_result(
    recorder, record, sobject, values, result, operation, loaded_at, *, local_names, message
) -> None:
    """One write's outcome on its record: linked and synced with its changes, or the error;
    an owner it was sent with is the owner the next pull reads (no change made there).

    A change names its local field (as the pull's do) and its Salesforce field; a value
    no mapping sends (a required placeholder) has only the Salesforce name for both."""
    changes, error = [], None
    if not result.success:
        error = result.errors[0] if result.errors else RecordError("UNKNOWN", "No details.")
    else:
        last = dict(record.sync_values or {})
        changes = [
            {
                "field": local_names.get(name, name),
                "salesforce_field": name,
                "old": last.get(name),
                "new": new,
            }
            for name, new in values.items()
        ]
        if operation == Operation.CREATE:
            set_link(record, sobject, result.id)
        record.sync_values = {**last, **values}
        record.salesforce_synced_at = loaded_at
        if OWNER in values and hasattr(record, "salesforce_owner_id"):
            record.salesforce_owner_id = values[OWNER]
    recorder.event(
        record,
        direction=Direction.OUTBOUND,
        operation=operation,
        salesforce_object=sobject,
        salesforce_id=record.salesforce_id,
        changes=changes,
        error=error,
        message=message,
    )
