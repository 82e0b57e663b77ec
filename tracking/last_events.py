"""Each record's last history events of the kinds that explain its sync state, in one query.

For a page of records (all of one model), `last_events_for_records` reads the newest event
of each kind below: one correlated subquery per kind and record picks it (the history's
index on content type, object id and time serves each), and a single outer query fetches
them all. The newest event of a kind among those fetched is that kind's newest overall, so
sorting them out in Python is exact.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, Q, Subquery

from tracking.choices import Direction, EventStatus, Operation
from tracking.models import SyncEvent

WRITES = frozenset({Operation.CREATE, Operation.UPDATE})
OK = frozenset({EventStatus.OK})
# Each kind: the values an event's columns may have.
KINDS: dict[str, dict[str, frozenset[str]]] = {
    # the last attempt to send: failed, held back, or done
    "outbound": {"direction": frozenset({Direction.OUTBOUND})},
    # the last values Salesforce sent here, and the last ones sent there
    "inbound_change": {
        "direction": frozenset({Direction.INBOUND}),
        "status": OK,
        "operation": WRITES,
    },
    "outbound_change": {
        "direction": frozenset({Direction.OUTBOUND}),
        "status": OK,
        "operation": WRITES,
    },
    # the sync's last word from Salesforce's side: a merge followed, a deletion the brake
    # holds, a restore from quarantine (their messages say what happened)
    "inbound": {
        "direction": frozenset({Direction.INBOUND}),
        "operation": frozenset({Operation.MATCH, Operation.CREATE, Operation.SKIP}),
    },
    # the deletion in Salesforce, with what the deletion policy did
    "deletion": {
        "direction": frozenset({Direction.INBOUND}),
        "operation": frozenset({Operation.DELETE}),
    },
}


@dataclass(frozen=True)
class LastEvents:
    outbound: SyncEvent | None = None
    inbound_change: SyncEvent | None = None
    outbound_change: SyncEvent | None = None
    inbound: SyncEvent | None = None
    deletion: SyncEvent | None = None


def last_events_for_records(*, model: type[Model], pks: Collection[int]) -> dict[int, LastEvents]:
    """Each record's newest event of every kind in KINDS, by primary key (one query)."""
    if not pks:
        return {}
    newest = SyncEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    ).order_by("-created_at", "-id")
    rows = model.objects.filter(pk__in=list(pks)).annotate(
        **{
            f"last_{name}": Subquery(newest.filter(_q(kind)).values("pk")[:1])
            for name, kind in KINDS.items()
        }
    )
    wanted = reduce(or_, (Q(pk__in=rows.values(f"last_{name}")) for name in KINDS))
    by_record: dict[int, list[SyncEvent]] = {}
    for event in SyncEvent.objects.filter(wanted).order_by("-created_at", "-id"):
        by_record.setdefault(event.object_id, []).append(event)
    return {pk: _sorted_out(events) for pk, events in by_record.items()}


def _sorted_out(events: list[SyncEvent]) -> LastEvents:
    """The newest of each kind among one record's events (newest first)."""
    return LastEvents(
        **{
            name: next((event for event in events if _is(event, kind)), None)
            for name, kind in KINDS.items()
        }
    )


def _q(kind: dict[str, frozenset[str]]) -> Q:
    return Q(**{f"{column}__in": sorted(values) for column, values in kind.items()})


def _is(event: SyncEvent, kind: dict[str, frozenset[str]]) -> bool:
    return all(getattr(event, column) in values for column, values in kind.items())
