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

Each state comes with its explanation, one sentence (`tracking.explanations`).

For a page of records it costs a fixed number of queries, however many records: one for
their last history events (`tracking.last_events`), the providers' (which records are not
sent, the sync's facts for the explanations), and the instance URL's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model

from tracking.choices import EventStatus, NotSentReason, SyncState
from tracking.explanations import Situation, explanation
from tracking.hooks import records_not_sent, salesforce_instance_url, sync_facts
from tracking.last_events import LastEvents, last_events_for_records
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
    explanation: str  # why it is in this state, in one sentence
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
    events = last_events_for_records(model=model, pks=pks)
    states = {record.pk: _state(record, not_sent, events.get(record.pk)) for record in records}
    facts = sync_facts(model=model, states=states, not_sent=not_sent)
    base_url = salesforce_instance_url() if any(r.salesforce_id for r in records) else ""
    result = {}
    for record in records:
        situation = Situation(
            record=record,
            state=states[record.pk],
            salesforce_object=_salesforce_object(record) if record.salesforce_id else "",
            events=events.get(record.pk) or LastEvents(),
            facts=facts,
            reason=not_sent.get(record.pk) if states[record.pk] == SyncState.NOT_SENT else None,
        )
        result[record.pk] = _record_state(situation, base_url)
    return result


def _state(record, not_sent: dict, events: LastEvents | None) -> SyncState:
    if record.deleted_in_salesforce:
        return SyncState.DELETED
    if record.pk in not_sent:
        return SyncState.NOT_SENT
    if not _waiting(record):
        return SyncState.SYNCED
    if events is not None and _failed_since_changed(record, events.outbound):
        return SyncState.ERROR
    return SyncState.PENDING


def _record_state(situation: Situation, base_url: str) -> RecordSyncState:
    record, state = situation.record, situation.state
    salesforce_id = record.salesforce_id
    return RecordSyncState(
        state=state,
        salesforce_id=salesforce_id,
        salesforce_object=situation.salesforce_object,
        url=f"{base_url}/{salesforce_id}" if base_url and salesforce_id else "",
        synced_at=record.salesforce_synced_at,
        explanation=explanation(situation),
        reason=situation.reason,
        error=situation.events.outbound if state == SyncState.ERROR else None,
    )


def _salesforce_object(record: Model) -> str:
    return SALESFORCE_OBJECTS.get(type(record)) or getattr(record, "salesforce_object", "")


def _waiting(record: Model) -> bool:
    """Changed here since its last sync, or never synced (as the outbound sync selects)."""
    if not hasattr(record, "local_modified_at"):
        return False  # a read-only mirror of Salesforce
    synced_at, modified_at = record.salesforce_synced_at, record.local_modified_at
    return synced_at is None or (modified_at is not None and modified_at > synced_at)


def _failed_since_changed(record: Model, event: SyncEvent | None) -> bool:
    """The last attempt to send failed, and the record has not changed here since."""
    if event is None or event.status != EventStatus.ERROR:
        return False
    modified_at = record.local_modified_at
    return modified_at is None or event.created_at >= modified_at
