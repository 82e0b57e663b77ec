"""Where each record stands with Salesforce: the one answer the read API and the history page give.

`sync_states_for_records` decides, first match wins:

1. `deleted_in_salesforce`: its Salesforce record was deleted; the local one is kept, unlinked.
2. `not_sent`: the sync leaves it out, with the reason (the inclusion list, a switch that is
   off, an activity with no matching record yet; the sync's provider in `hooks` knows).
   A linked record that falls out has stopped syncing: changes made here no longer reach
   Salesforce.
3. `error`: it has changes to send and the last attempt to send them failed (not retried, not
   changed here since), with that attempt's code, message and hint.
4. `pending`: it has changes to send, or was never sent: the next sync run sends it.
5. `synced`.

For a page of records it costs a fixed number of queries, however many records: one for the
last outbound events of those waiting, the provider's, and the instance URL's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, Subquery

from tracking.choices import Direction, EventStatus, NotSentReason, SyncState
from tracking.hooks import records_not_sent, salesforce_instance_url
from tracking.models import Company, Link, Opportunity, SyncEvent, Visit

# The Salesforce object of models that sync with one kind only (contacts say theirs).
SALESFORCE_OBJECTS = {
    Company: "Account",
    Opportunity: "Opportunity",
    Link: "Task",
    Visit: "Task",
}


@dataclass(frozen=True)
class RecordSyncState:
    state: SyncState
    salesforce_id: str
    salesforce_object: str
    url: str  # the record in Salesforce; "" when not linked or the org is unknown
    synced_at: datetime | None
    reason: NotSentReason | None = None  # for not_sent
    error: SyncEvent | None = None  # for error: the failed attempt

    @property
    def stopped(self) -> bool:
        """A linked record the sync no longer sends."""
        return self.state == SyncState.NOT_SENT and bool(self.salesforce_id)


def sync_states_for_records(*, records: Sequence[Model]) -> dict[int, RecordSyncState]:
    """The sync state of each record (all of one model), by primary key."""
    if not records:
        return {}
    model = type(records[0])
    pks = [record.pk for record in records]
    not_sent = records_not_sent(model=model, pks=pks)
    waiting = [
        record
        for record in records
        if _waiting(record) and record.pk not in not_sent and not record.deleted_in_salesforce
    ]
    errors = _failed_attempts(model, waiting)
    waiting_pks = {record.pk for record in waiting}
    base_url = salesforce_instance_url() if any(r.salesforce_id for r in records) else ""
    return {
        record.pk: _state(
            record,
            reason=not_sent.get(record.pk),
            error=errors.get(record.pk),
            waiting=record.pk in waiting_pks,
            base_url=base_url,
        )
        for record in records
    }


def _state(record, *, reason, error, waiting: bool, base_url: str) -> RecordSyncState:
    if record.deleted_in_salesforce:
        state = SyncState.DELETED
    elif reason is not None:
        state = SyncState.NOT_SENT
    elif error is not None:
        state = SyncState.ERROR
    elif waiting:
        state = SyncState.PENDING
    else:
        state = SyncState.SYNCED
    salesforce_id = record.salesforce_id
    return RecordSyncState(
        state=state,
        salesforce_id=salesforce_id,
        salesforce_object=_salesforce_object(record) if salesforce_id else "",
        url=f"{base_url}/{salesforce_id}" if base_url and salesforce_id else "",
        synced_at=record.salesforce_synced_at,
        reason=reason if state == SyncState.NOT_SENT else None,
        error=error if state == SyncState.ERROR else None,
    )


def _salesforce_object(record: Model) -> str:
    return SALESFORCE_OBJECTS.get(type(record)) or getattr(record, "salesforce_object", "")


def _waiting(record: Model) -> bool:
    """Changed here since its last sync, or never synced (as the outbound sync selects)."""
    if not hasattr(record, "local_modified_at"):
        return False  # a read-only mirror of Salesforce
    synced_at, modified_at = record.salesforce_synced_at, record.local_modified_at
    return synced_at is None or (modified_at is not None and modified_at > synced_at)


def _failed_attempts(model: type[Model], records: list[Model]) -> dict[int, SyncEvent]:
    """Each record's last outbound event, where it failed after the record last changed here.

    One query: a subquery picks each record's newest outbound event (the history's index
    serves it), the outer query keeps the failed ones.
    """
    if not records:
        return {}
    last = (
        SyncEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=OuterRef("pk"),
            direction=Direction.OUTBOUND,
        )
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    last_ids = (
        model.objects.filter(pk__in=[record.pk for record in records])
        .annotate(last_event=Subquery(last))
        .values("last_event")
    )
    failed = SyncEvent.objects.filter(pk__in=last_ids, status=EventStatus.ERROR)
    modified = {record.pk: record.local_modified_at for record in records}
    return {
        event.object_id: event
        for event in failed
        if modified[event.object_id] is None or event.created_at >= modified[event.object_id]
    }
