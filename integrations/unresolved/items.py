"""The unresolved links, visits and activities as one list, filtered, a page at a time.

The three models are merged in the database (a UNION of each one's key and sort columns), so
a page costs the same few queries however long the list is: the count, the page's keys, and
one query per model for the page's records with what the rows show (owner, document, room).
Who may see what is decided here, once: members their own items (a link's owner, its
visits', an activity's author), staff everyone's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from django.db import models
from django.db.models import CharField, F, Q, QuerySet, Value
from django.urls import reverse

from tracking.choices import ActivityKind, LinkKind
from tracking.models import Activity, Link, Visit
from tracking.ownership import reads_everything
from tracking.views.history import history_url

# Records fetched per query while a whole list is read (the CSV export).
CHUNK_SIZE = 500


class DateField(models.TextChoices):
    """Which date the report's date range applies to."""

    SINCE = "since", "Unresolved since"
    OCCURRED = "occurred", "Occurred"


@dataclass(frozen=True)
class UnresolvedFilter:
    kind: str = ""  # a Kind's value; empty: every kind
    owner_id: int | None = None  # staff only: members always see their own
    date_field: str = DateField.SINCE
    date_from: date | None = None
    date_to: date | None = None  # inclusive


@dataclass(frozen=True)
class UnresolvedItem:
    """One row of the report."""

    source: str  # the record's kind in URLs: links, visits or activities
    record: Link | Visit | Activity
    kind: str  # Visit, Document link, Room link, InMail, Message, Note or Call
    email: str
    name: str
    company: str  # the visitor's or contact's company, a link's account name
    what: str  # the document or room name, or the subject
    owner: models.Model | None
    unresolved_since: datetime
    occurred_at: datetime | None

    @property
    def owner_label(self) -> str:
        return (self.owner.email or self.owner.get_username()) if self.owner else ""

    @property
    def history_url(self) -> str:
        return history_url(self.record)

    @property
    def match_url(self) -> str:
        return reverse("activities:match", args=[self.source, self.record.pk])


def _shared_name(link: Link) -> str:
    target = link.document or link.room
    return link.name or (target.name if target else "")


def _visit_item(visit: Visit) -> dict:
    return {
        "kind": "Visit", "email": visit.visitor_email, "name": visit.visitor_name,
        "company": visit.company, "what": _shared_name(visit.link), "owner": visit.link.owner,
        "occurred_at": visit.started_at,
    }  # fmt: skip


def _link_item(link: Link) -> dict:
    return {
        "kind": f"{link.get_kind_display()} link", "email": "", "name": "",
        "company": link.account_name, "what": _shared_name(link), "owner": link.owner,
        "occurred_at": link.shared_at,
    }  # fmt: skip


def _activity_item(activity: Activity) -> dict:
    return {
        "kind": activity.get_kind_display(), "email": activity.contact_email,
        "name": activity.contact_name, "company": activity.company, "what": activity.subject,
        "owner": activity.author, "occurred_at": activity.occurred_at,
    }  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One model of the report: who owns its records, when they happened, how a row reads."""

    name: str
    model: type[Link | Visit | Activity]
    owner: str  # the lookup of the owning user
    occurred: str  # the field saying when it happened
    related: tuple[str, ...]  # what a row shows, fetched with the record
    describe: Callable[[models.Model], dict]


SOURCES = {
    source.name: source
    for source in (
        Source("visits", Visit, "link__owner", "started_at",
               ("link__owner", "link__document", "link__room"), _visit_item),
        Source("links", Link, "owner", "shared_at", ("owner", "document", "room"), _link_item),
        Source("activities", Activity, "author", "occurred_at", ("author",), _activity_item),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A kind the report lists and filters by: one model, or some of its records."""

    value: str
    label: str
    source: str
    where: Q


KINDS = (
    Kind("visit", "Visit", "visits", Q()),
    Kind("document_link", "Document link", "links", Q(kind=LinkKind.DOCUMENT)),
    Kind("room_link", "Room link", "links", Q(kind=LinkKind.ROOM)),
    *(Kind(kind.value, kind.label, "activities", Q(kind=kind.value)) for kind in ActivityKind),
)
KIND_CHOICES = [(kind.value, kind.label) for kind in KINDS]


def unresolved_entries(*, viewer, filters: UnresolvedFilter) -> QuerySet:
    """The keys of the unresolved items `viewer` may see that pass `filters`, the most
    recently unresolved first: rows of id, unresolved_since, item_source, item_occurred.

    Members see only their own items, whatever owner the filter names; staff and admin
    seat holders see all.
    """
    owner_id = filters.owner_id if reads_everything(viewer) else viewer.pk
    first, *rest = [
        _source_entries(SOURCES[name], where, owner_id=owner_id, filters=filters)
        for name, where in _wanted(filters.kind).items()
    ]
    entries = first.union(*rest, all=True) if rest else first
    return entries.order_by("-unresolved_since", "item_source", "-id")


def unresolved_count() -> int:
    """How many links, visits and activities wait for a match (all owners)."""
    return sum(
        source.model.objects.filter(unresolved_since__isnull=False).count()
        for source in SOURCES.values()
    )


def unresolved_items(entries: Iterable[dict]) -> list[UnresolvedItem]:
    """The rows of these entries (of `unresolved_entries`), in their order: one query per
    model. An entry whose record was deleted meanwhile has no row."""
    entries = list(entries)
    wanted: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        wanted[entry["item_source"]].append(entry["id"])
    records = {}
    for name, pks in wanted.items():
        source = SOURCES[name]
        for record in source.model.objects.filter(pk__in=pks).select_related(*source.related):
            records[name, record.pk] = record
    return [
        _item(entry, records[entry["item_source"], entry["id"]])
        for entry in entries
        if (entry["item_source"], entry["id"]) in records
    ]


def unresolved_items_all(entries: QuerySet) -> Iterator[UnresolvedItem]:
    """Every row of `entries`, read `CHUNK_SIZE` at a time (constant memory)."""
    keys = entries.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(keys, CHUNK_SIZE)):
        yield from unresolved_items(chunk)


def _wanted(kind: str) -> dict[str, Q]:
    """Which models to read, with the condition on each, for a kind filter."""
    for candidate in KINDS:
        if candidate.value == kind:
            return {candidate.source: candidate.where}
    return {name: Q() for name in SOURCES}


def _source_entries(
    source: Source, where: Q, *, owner_id: int | None, filters: UnresolvedFilter
) -> QuerySet:
    queryset = source.model.objects.filter(where, unresolved_since__isnull=False)
    if owner_id is not None:
        queryset = queryset.filter(**{f"{source.owner}_id": owner_id})
    column = "unresolved_since" if filters.date_field == DateField.SINCE else source.occurred
    if filters.date_from:
        queryset = queryset.filter(**{f"{column}__gte": _day_start(filters.date_from)})
    if filters.date_to:
        queryset = queryset.filter(**{f"{column}__lt": _day_start(filters.date_to, days=1)})
    return (
        queryset.order_by()
        .annotate(item_source=Value(source.name, output_field=CharField()))
        .annotate(item_occurred=F(source.occurred))
        .values("id", "unresolved_since", "item_source", "item_occurred")
    )


def _day_start(day: date, *, days: int = 0) -> datetime:
    """Midnight UTC of `day` (plus `days`): the pages show times in UTC."""
    return datetime.combine(day + timedelta(days=days), time.min, tzinfo=UTC)


def _item(entry: dict, record: models.Model) -> UnresolvedItem:
    source = SOURCES[entry["item_source"]]
    return UnresolvedItem(
        source=source.name,
        record=record,
        unresolved_since=record.unresolved_since,
        **source.describe(record),
    )
