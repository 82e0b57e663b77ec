"""Why a record is in its sync state, in one sentence: the history page's first line and the
read API's `salesforce.explanation`.

`explanation` looks the state up in `EXPLAINERS`, one function per state, each building its
sentence from one `Situation`: the record, its state, its last history events
(`tracking.last_events`) and the sync's facts (`tracking.hooks.SyncFacts`: the words only
the sync knows, such as mapping rules and inclusion rules). A new case is one more state and
one more function in the table, or one more branch in its state's function. Nothing here
queries the database: the caller gathers everything for a whole page first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst

from tracking.choices import Direction, EventStatus, NotSentReason, Operation, SyncState
from tracking.hooks import SyncFacts
from tracking.last_events import LastEvents
from tracking.models import SyncEvent

MAX_FIELDS = 3  # fields named in a synced record's sentence; the rest are counted
SALESFORCE_SIDE, THIS_SIDE = "Salesforce", "this side"


@dataclass(frozen=True)
class Situation:
    """Everything one record's sentence is made of."""

    record: Model
    state: SyncState
    salesforce_object: str
    events: LastEvents
    facts: SyncFacts
    reason: NotSentReason | None = None


def explanation(situation: Situation) -> str:
    """The one sentence that says why the record is in its state."""
    return EXPLAINERS[situation.state](situation)


def moment(at: datetime) -> str:
    """A time as the sentences say it: "1 Dec 2026 14:02 UTC"."""
    at = at.astimezone(UTC)
    return f"{at.day} {at:%b %Y %H:%M} UTC"


def field_label(model: type[Model], name: str) -> str:
    """A stored field name as people read it: the model field's label, else the name itself
    (properties.<key>, a Salesforce field, or an old history row's name)."""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _synced(situation: Situation) -> str:
    record = situation.record
    if not record.salesforce_id:
        return "Nothing to send: nothing here is waiting to go to Salesforce."
    where = _salesforce_record(situation, record.salesforce_id)
    synced_at = record.salesforce_synced_at
    on = f" on {moment(synced_at)}" if synced_at else ""
    if not hasattr(record, "local_modified_at"):
        return f"Read from {where}{on}; it is only read from Salesforce, never sent."
    winners = _winners(situation)
    if winners:
        return f"Synced with {where}{on}: {winners}{_notes(situation)}."
    return f"Synced with {where}{on}{_created(situation)}; both sides agree{_notes(situation)}."


def _waiting(situation: Situation) -> str:
    facts, linked = situation.facts, bool(situation.record.salesforce_id)
    sends = "the changes" if linked else "it"
    if facts.paused_until is not None:
        reason = f" ({facts.pause_reason.rstrip('.')})" if facts.pause_reason else ""
        return (
            f"Waiting: calls to Salesforce are paused until {moment(facts.paused_until)}"
            f"{reason}; the sync then sends {sends}."
        )
    held = _held_back(situation)
    if held is not None:
        return (
            f"Waiting: held back on {moment(held.created_at)}, {held.error_message.rstrip('.')}"
            f"{_next_run(facts)}."
        )
    does = "sends the changes" if linked else "creates it in Salesforce"
    not_linked = "" if linked else "not in Salesforce yet; "
    return f"Waiting: {not_linked}the next sync run{_next_run(facts)} {does}."


def _failed(situation: Situation) -> str:
    event = situation.events.outbound
    code = f" ({event.error_code})" if event.error_code else ""
    plain = event.hint or f"Salesforce said “{event.error_message or 'no details'}”."
    return f"Failed to send on {moment(event.created_at)}{code}: {plain}"


def _not_sent(situation: Situation) -> str:
    reason, record = situation.reason, situation.record
    detail = situation.facts.not_sent_details.get(record.pk)
    said = f"{reason.label}: {detail}" if detail else reason.label
    if record.salesforce_id:
        return f"Stopped syncing: {said}; changes made here no longer go to Salesforce."
    return f"Not sent: {said}."


def _deleted(situation: Situation) -> str:
    last, event = situation.events.inbound, situation.events.deletion
    if last is None or not last.error_message or (event and _newer(event, last)):
        last = None  # nothing said since the deletion
    if last is not None and last.operation == Operation.SKIP:
        # held by the mass-delete brake: its message says so and what the admin does
        return f"Held on {moment(last.created_at)}: {_clause(last)}."
    if last is not None and last.operation == Operation.CREATE:
        return f"Restored on {moment(last.created_at)}: {_clause(last)}."
    if event is None:
        return "Deleted in Salesforce; kept here, unlinked, and no longer synced."
    what = _salesforce_record(situation, event.salesforce_id, sobject=event.salesforce_object)
    return (
        f"Deleted in Salesforce on {moment(event.created_at)} ({what}): the deletion policy "
        "kept this record here, unlinked, and it is no longer synced."
    )


EXPLAINERS: dict[SyncState, Callable[[Situation], str]] = {
    SyncState.SYNCED: _synced,
    SyncState.PENDING: _waiting,
    SyncState.ERROR: _failed,
    SyncState.NOT_SENT: _not_sent,
    SyncState.DELETED: _deleted,
}


def _notes(situation: Situation) -> str:
    """ "; the Contact … was merged into …" when the last word either side wrote has more to
    say: a merge followed in Salesforce, a fallback owner written in place of an inactive one."""
    events = situation.events
    notes = [
        _clause(event)
        for event in (events.inbound, events.outbound_change)
        if event is not None
        and event.status == EventStatus.OK
        and event.error_message
        and event.operation in (Operation.MATCH, Operation.CREATE, Operation.UPDATE)
    ]
    return "".join(f"; {note}" for note in notes)


def _newer(event: SyncEvent, than: SyncEvent) -> bool:
    return (event.created_at, event.pk) > (than.created_at, than.pk)


def _clause(event: SyncEvent) -> str:
    """An event's message as a clause of a longer sentence."""
    text = event.error_message.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _salesforce_record(situation: Situation, salesforce_id: str, *, sobject: str = "") -> str:
    return f"Salesforce {sobject or situation.salesforce_object or 'record'} {salesforce_id}"


def _held_back(situation: Situation) -> SyncEvent | None:
    """The sync's last word on a waiting record, when it held back what changed here since."""
    event, record = situation.events.outbound, situation.record
    if event is None or event.operation != Operation.SKIP or event.status != EventStatus.OK:
        return None
    changed_at = record.local_modified_at
    if not event.error_message or (changed_at is not None and event.created_at < changed_at):
        return None
    return event


def _next_run(facts: SyncFacts) -> str:
    """ " (expected around 14:15 UTC, every 15 minutes)", as far as the sync knows."""
    parts = []
    if facts.next_run_at is not None and facts.next_run_at > timezone.now():
        parts.append(f"expected around {moment(facts.next_run_at)}")
    if facts.interval_minutes:
        parts.append(f"every {facts.interval_minutes} minutes")
    return f" ({', '.join(parts)})" if parts else ""


def _created(situation: Situation) -> str:
    """ ": created there from this record" when its last change was its creation on one side."""
    events = [e for e in (situation.events.inbound_change, situation.events.outbound_change) if e]
    latest = max(events, key=lambda event: (event.created_at, event.pk), default=None)
    if latest is None or latest.operation != Operation.CREATE:
        return ""
    if latest.direction == Direction.INBOUND:
        return ": created here from Salesforce"
    return ": created in Salesforce from this record"


def _winners(situation: Situation) -> str:
    """Which side won each field on its last update, and by which rule (a creation is no
    contest: `_created` says it)."""
    won: dict[str, tuple[str, str]] = {}  # field label → (side, rule), the newest change last
    sides = [
        (event, side)
        for event, side in (
            (situation.events.inbound_change, SALESFORCE_SIDE),
            (situation.events.outbound_change, THIS_SIDE),
        )
        if event is not None and event.operation == Operation.UPDATE
    ]
    for event, side in sorted(sides, key=lambda pair: (pair[0].created_at, pair[0].pk)):
        for change in event.changes:
            label = field_label(type(situation.record), change.get("field", ""))
            won.pop(label, None)
            won[label] = (side, _rule(situation.facts, event, change))
    if not won:
        return ""
    return _won_sentence(won)


def _rule(facts: SyncFacts, event: SyncEvent, change: dict) -> str:
    for name in (change.get("salesforce_field"), change.get("field")):
        rule = facts.field_rules.get((event.salesforce_object, name or ""))
        if rule:
            return rule
    return ""


def _won_sentence(won: dict[str, tuple[str, str]]) -> str:
    """ "Salesforce won Phone and Title (two-way, most recent wins), this side won Email (to
    Salesforce only), and 2 more fields": Salesforce's first, MAX_FIELDS named at most."""
    named = sorted(won.items(), key=lambda item: item[1][0] != SALESFORCE_SIDE)[:MAX_FIELDS]
    parts = []
    for side in (SALESFORCE_SIDE, THIS_SIDE):
        by_rule: dict[str, list[str]] = {}
        for label, (winner, rule) in named:
            if winner == side:
                by_rule.setdefault(rule, []).append(label)
        groups = [f"{_and(labels)} ({rule})" if rule else _and(labels)
                  for rule, labels in by_rule.items()]  # fmt: skip
        if groups:
            parts.append(f"{side} won {_and(groups)}")
    more = len(won) - len(named)
    if more:
        parts.append(f"and {more} more field{'s' if more > 1 else ''}")
    return ", ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
