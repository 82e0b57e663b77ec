"""Reads for the integration's pages (no writes here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.db.models.functions import Lower, TruncHour
from django.utils import timezone

from integrations.choices import BrakeStatus, EventStatus
from integrations.exceptions import ConfigurationError, SalesforceError
from integrations.models import (
    ApiUsageHour,
    DeleteBrake,
    MappedObject,
    PendingDeletion,
    SalesforceConnection,
    Seat,
    SeatRole,
    WriteBackTest,
)
from integrations.salesforce.hints import explain_and_fix
from integrations.services.connection import salesforce_client
from integrations.sync.pipeline_org import org_currency_fields, org_stages
from integrations.sync.rules.inclusion import inclusion_q
from integrations.sync.rules.pipeline import open_stage_names
from tracking.models import Contact, SyncEvent

# The console page of a delete brake (confirm or cancel what it holds).
DELETE_BRAKE_URL = "admin:integrations_deletebrake_change"


@dataclass(frozen=True)
class UsageBar:
    hour: datetime
    calls: int
    errors: int
    percent: float  # of the busiest hour, for drawing


def _bars(counts: dict[datetime, tuple[int, int]], *, hours: int, now: datetime | None):
    end = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=hours - 1)
    series = [
        (start + timedelta(hours=offset), *counts.get(start + timedelta(hours=offset), (0, 0)))
        for offset in range(hours)
    ]
    busiest = max((calls for _, calls, _ in series), default=0) or 1
    return [
        UsageBar(hour=hour, calls=calls, errors=errors, percent=round(100 * calls / busiest, 1))
        for hour, calls, errors in series
    ]


def api_usage_by_hour(*, hours: int = 24, now: datetime | None = None) -> list[UsageBar]:
    """This app's API calls for each of the last `hours` hours, oldest first, gaps as 0."""
    since = (now or timezone.now()) - timedelta(hours=hours)
    counts = {
        row.hour: (row.calls, row.errors) for row in ApiUsageHour.objects.filter(hour__gte=since)
    }
    return _bars(counts, hours=hours, now=now)


def records_synced_by_hour(*, hours: int = 24, now: datetime | None = None) -> list[UsageBar]:
    """Successful and failed record events per hour, for the throughput chart."""
    since = (now or timezone.now()) - timedelta(hours=hours)
    rows = (
        SyncEvent.objects.filter(created_at__gte=since)
        .annotate(hour=TruncHour("created_at"))
        .values("hour", "status")
        .annotate(total=Count("id"))
    )
    counts: dict[datetime, list[int]] = {}
    for row in rows:
        slot = counts.setdefault(row["hour"], [0, 0])
        slot[1 if row["status"] == EventStatus.ERROR else 0] += row["total"]
    return _bars({hour: tuple(value) for hour, value in counts.items()}, hours=hours, now=now)


def inclusion_preview(*, mode: str, rules: Iterable, size: int = 10) -> tuple[int, list[Contact]]:
    """How many contacts the inclusion list lets through, and the first `size` by email."""
    matching = Contact.objects.filter(inclusion_q(mode=mode, rules=list(rules)))
    return matching.count(), list(matching.order_by("email")[:size])


@dataclass(frozen=True)
class ErrorGroup:
    """The sync errors of one kind: one error code on one Salesforce object."""

    error_code: str
    salesforce_object: str
    records: int  # distinct local records that failed this way
    attempts: int  # failed events
    last_seen: datetime
    example: str  # one of Salesforce's messages, as it said it
    meaning: str
    fix: str


def sync_errors_by_type() -> list[ErrorGroup]:
    """Unresolved sync errors grouped by (error code, object), the most records first."""
    failed = SyncEvent.objects.filter(status=EventStatus.ERROR)
    rows = failed.values("error_code", "salesforce_object", "content_type").annotate(
        records=Count("object_id", distinct=True),
        attempts=Count("id"),
        last_seen=Max("created_at"),
        last_id=Max("id"),
    )
    merged: dict[tuple[str, str], dict] = {}
    for row in rows:  # a code on one object nearly always means one model: few rows
        key = (row["error_code"], row["salesforce_object"])
        group = merged.setdefault(key, {"records": 0, "attempts": 0, "last_seen": None, "id": 0})
        group["records"] += row["records"]
        group["attempts"] += row["attempts"]
        group["last_seen"] = max(filter(None, [group["last_seen"], row["last_seen"]]))
        group["id"] = max(group["id"], row["last_id"])
    examples = dict(
        SyncEvent.objects.filter(pk__in=[group["id"] for group in merged.values()]).values_list(
            "pk", "error_message"
        )
    )
    groups = [
        ErrorGroup(code, sobject, group["records"], group["attempts"], group["last_seen"],
                   examples.get(group["id"], ""), *explain_and_fix(code))
        for (code, sobject), group in merged.items()
    ]  # fmt: skip
    return sorted(groups, key=lambda group: (-group.records, group.error_code))


PIPELINE_NOT_CONNECTED = (
    "Salesforce is not connected, so its Opportunity stages and fields are unavailable: "
    "connect Salesforce first. Until then type the stage or field API name; it is checked "
    "when you save."
)
# What tells that an org has state and country picklists: their *Code fields exist.
PICKLIST_CODE_FIELDS = (("Lead", "CountryCode"), ("Contact", "MailingCountryCode"))


@dataclass(frozen=True)
class OrgFields:
    """The connected org's fields of every mapped object, or why they could not be read."""

    fields: dict[str, dict[str, dict]]  # object -> API name -> describe() field
    unavailable: str = ""  # empty when `fields` came from the org

    @property
    def picklists(self) -> bool | None:
        """Whether the org has state and country picklists (None: unknown)."""
        if self.unavailable:
            return None
        return any(name in self.fields.get(sobject, {}) for sobject, name in PICKLIST_CODE_FIELDS)


def org_fields() -> OrgFields:
    """The mapped objects' fields from the org's (cached) describe(), for the console's
    pickers; a plain reason instead when no org is connected or describe() fails."""
    try:
        client = salesforce_client()
    except ConfigurationError:
        return OrgFields(
            {},
            "Salesforce is not connected, so its field list is unavailable: connect Salesforce "
            "first. Until then type the API name; it is checked when you save.",
        )
    try:
        fields = {sobject: client.fields(sobject) for sobject in MappedObject.values}
    except SalesforceError as error:
        reason = f"The Salesforce field list is unavailable: reading the fields failed ({error})."
        meanwhile = "Type the API name meanwhile; it is checked when you save."
        return OrgFields({}, " ".join(filter(None, [reason, error.hint, meanwhile])))
    return OrgFields(fields)


@dataclass(frozen=True)
class WriteBackTests:
    """The console's "Test write-back": the latest test, and how many still need a clean-up."""

    latest: WriteBackTest | None
    open: int


def writeback_tests() -> WriteBackTests:
    return WriteBackTests(
        latest=WriteBackTest.objects.order_by("-created_at", "-pk").first(),
        open=WriteBackTest.objects.filter(cleaned_at__isnull=True).count(),
    )


@dataclass(frozen=True)
class OrgPipeline:
    """The connected org's open Opportunity stages in their order and Opportunity's currency
    fields (API name → label), or why they could not be read."""

    stages: list[str]
    currency_fields: dict[str, str]
    unavailable: str = ""  # empty when read from the org


def org_pipeline() -> OrgPipeline:
    """What the pipeline settings may choose from, for the console; a plain reason instead
    when no org is connected or reading it fails."""
    try:
        client = salesforce_client()
    except ConfigurationError:
        return OrgPipeline([], {}, PIPELINE_NOT_CONNECTED)
    try:
        stages = open_stage_names(org_stages(client))
        fields = org_currency_fields(client)
    except SalesforceError as error:
        reason = f"The org's Opportunity stages and fields are unavailable ({error})."
        meanwhile = "Type the API name meanwhile; it is checked when you save."
        return OrgPipeline([], {}, " ".join(filter(None, [reason, error.hint, meanwhile])))
    return OrgPipeline(stages, fields)


def seat_for_salesforce_login(
    *, salesforce_user_id: str, verified_emails: Iterable[str]
) -> Seat | None:
    """The seat a "Sign in with Salesforce" belongs to, with its user.

    First the seat linked to that Salesforce user; else, by a verified email of the login
    (the holder's email or the seat's Salesforce email, in any case), the one seat not linked
    to any Salesforce user yet (a seat linked to another Salesforce user is not this
    login's). None when there is no such seat, or several match by email.
    """
    seats = Seat.objects.select_related("user").order_by("pk")
    if salesforce_user_id:
        seat = seats.filter(salesforce_user_id=salesforce_user_id).first()
        if seat is not None:
            return seat
    emails = {email.strip().lower() for email in verified_emails if email and email.strip()}
    if not emails:
        return None
    candidates = list(
        seats.annotate(holder_email=Lower("user__email"), linked_email=Lower("salesforce_email"))
        .filter(Q(holder_email__in=emails) | Q(linked_email__in=emails))
        .filter(salesforce_user_id="")[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def seat_is_admin(*, user) -> bool:
    """Whether `user` holds an admin seat (role admin, or admin and member)."""
    return Seat.objects.filter(user=user, role__in=[SeatRole.ADMIN, SeatRole.ADMIN_MEMBER]).exists()


def salesforce_login_org_allowed(*, organization_id: str) -> bool:
    """Whether a "Sign in with Salesforce" from this org may match a seat: only the connected
    org's users may (a verified email in some other org proves nothing here). Ids compare on
    their first 15 characters (15- and 18-character forms)."""
    connected = SalesforceConnection.load().org_id
    if not connected:
        return True  # no org connected yet: nothing to compare with
    return organization_id[:15] == connected[:15]


def seat_salesforce_user_id(*, user) -> str:
    """The Salesforce user id of `user`'s seat; "" without a seat or a match."""
    seats = Seat.objects.filter(user_id=user.pk).order_by()
    return next(iter(seats.values_list("salesforce_user_id", flat=True)), "")


def delete_brake_holding() -> DeleteBrake | None:
    """The mass-delete brake holding deletions now, if any; its console page is
    `reverse(DELETE_BRAKE_URL, args=[brake.pk])`."""
    return DeleteBrake.objects.filter(status=BrakeStatus.HOLDING).order_by("created_at").first()


def delete_brake_sample(*, brake: DeleteBrake, limit: int = 10) -> list[PendingDeletion]:
    """A few of the deletions the brake holds, oldest first."""
    return list(brake.held.order_by("pk")[:limit])
