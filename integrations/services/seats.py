"""Seats (Sales Navigator's licences): listing the org's Users to assign seats from, assigning
and revoking seats, their CRM sync switch, and matching seats to Salesforce users again.

A seat is matched by its user's email to the org's Users (Salesforce compares emails in any
case): the active one (the oldest of several), else an inactive one, which Salesforce refuses
as an owner, so the seat says why it is not matched. Assigning never goes past the licence
count (`SyncSettings.seat_limit`): the settings row is locked while the seats are counted, so
two admins assigning at once cannot both take the last licence. Salesforce is asked before
the transaction, so no lock is held while it answers. Its errors reach the caller as the
client raised them (with their hint); what this module refuses is a `SeatError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from integrations.models import Seat, SeatRole, SyncSettings
from integrations.salesforce import soql
from integrations.salesforce.client import SalesforceClient
from integrations.services.activities_push import activities_push_enqueue
from integrations.services.connection import salesforce_client
from tracking.models import Activity

NO_USER = "no Salesforce user has this email"
INACTIVE = "the Salesforce user with this email is inactive"
USER_FIELDS = ("Id", "Name", "Username", "Email", "IsActive", "CreatedDate")
MATCH_FIELDS = ("salesforce_user_id", "salesforce_username", "salesforce_email",
                "salesforce_active", "match_problem")  # fmt: skip
MAX_PER_PAGE = 200
MAX_OFFSET = 2000  # Salesforce refuses a larger SOQL OFFSET


class SeatError(Exception):
    """A seat cannot be assigned or changed; the message says why, for the person who asked."""


class SeatLimitError(SeatError):
    """Every licence is taken."""


class SeatNotFoundError(SeatError):
    """No seat for that email."""


@dataclass(frozen=True)
class SalesforceUser:
    """One of the org's Users, with the seat or local user it matches here."""

    salesforce_user_id: str
    name: str
    username: str
    email: str
    seat: Seat | None
    has_local_user: bool

    @property
    def match_state(self) -> str:
        if self.seat is not None:
            return f"has a seat ({self.seat.get_role_display()})"
        return "local user, no seat" if self.has_local_user else "no local user yet"


@dataclass(frozen=True)
class SalesforceUsersPage:
    users: list[SalesforceUser]
    page: int
    per_page: int
    has_next: bool


@dataclass(frozen=True)
class SeatUsage:
    used: int
    limit: int | None

    def __str__(self) -> str:
        if self.limit is None:
            return f"{self.used} seat{'s' if self.used != 1 else ''} used (no licence limit)"
        return f"{self.used} of {self.limit} seats used"

    @property
    def full(self) -> bool:
        return self.limit is not None and self.used >= self.limit


def seat_usage() -> SeatUsage:
    return SeatUsage(used=Seat.objects.count(), limit=SyncSettings.load().seat_limit)


def salesforce_users_list(*, page: int = 1, per_page: int = 50) -> SalesforceUsersPage:
    """One page of the org's active standard Users (not portal, Chatter or guest users, nor
    the integration user), by name, each with its match here: one query."""
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SeatError(f"Show between 1 and {MAX_PER_PAGE} users per page.")
    if page < 1:
        raise SeatError("Pages are numbered from 1.")
    offset = (page - 1) * per_page
    if offset > MAX_OFFSET:
        raise SeatError(
            f"Salesforce lists users page by page only up to the first {MAX_OFFSET:,}; "
            "assign a seat by email for the others."
        )
    client = salesforce_client()
    statement = soql.select("User", USER_FIELDS, where=_listed_users(client), order_by="Name, Id",
                            limit=per_page + 1) + f" OFFSET {offset}"  # fmt: skip
    rows = list(client.query(statement))
    return SalesforceUsersPage(
        users=_with_matches(rows[:per_page]),
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )


def salesforce_users_all(*, batch_size: int | None = None) -> Iterator[list[SalesforceUser]]:
    """Every active standard User (as `salesforce_users_list` lists them), by name, with
    their matches, `batch_size` at a time: one query read page by page as Salesforce hands
    it out, so no OFFSET limit applies (for the command, which lists them all)."""
    batch_size = batch_size or MAX_PER_PAGE
    client = salesforce_client()
    statement = soql.select("User", USER_FIELDS, where=_listed_users(client), order_by="Name, Id")
    batch: list[dict] = []
    for row in client.query(statement):
        batch.append(row)
        if len(batch) == batch_size:
            yield _with_matches(batch)
            batch = []
    if batch:
        yield _with_matches(batch)


def _listed_users(client: SalesforceClient) -> str:
    return soql.format_soql(
        "IsActive = true AND UserType = 'Standard' AND Id != {}", client.user_id
    )


def seat_assign(*, email: str, role: str = SeatRole.MEMBER) -> Seat:
    """Give the local user with `email` a seat (creating the user, with an unusable password,
    when there is none), matched to the org's User with that email; a seat already there
    keeps its licence and takes the new role. Raises SeatError (SeatLimitError when every
    licence is taken), or the client's SalesforceError when Salesforce cannot be asked."""
    email = _valid_email(email)
    if role not in SeatRole.values:
        raise SeatError(f"{role!r} is not a seat role: use one of {', '.join(SeatRole.values)}.")
    if not _seat_of(email):  # before asking Salesforce: a full count fails fast
        _require_free_licence(SyncSettings.load().seat_limit)
    match = _matches(salesforce_client(), [email]).get(email.lower())
    with transaction.atomic():
        limit = SyncSettings.locked().seat_limit
        user = _local_user(email) or _user_create(email)
        seat = Seat.objects.filter(user=user).first()
        if seat is None:
            _require_free_licence(limit)
            seat = Seat(user=user)
        seat.role = role
        _apply_match(seat, match)
        seat.save()
        Activity.objects.filter(author__isnull=True, author_email__iexact=email).update(author=user)
        transaction.on_commit(_push_waiting_activities)
    return seat


def seat_revoke(*, email: str) -> Seat:
    """Take the seat of the user with `email` away (the user stays); the seat as it was."""
    seat = _seat(email)
    seat.delete()
    return seat


def seat_crm_sync_set(*, email: str, enabled: bool) -> Seat:
    """Switch CRM sync of one seat (it counts while auto-sync is off)."""
    seat = _seat(email)
    seats_crm_sync_set(seats=Seat.objects.filter(pk=seat.pk), enabled=enabled)
    seat.crm_sync = enabled
    return seat


def seats_crm_sync_set(*, seats: QuerySet, enabled: bool) -> int:
    """Switch CRM sync of these seats; how many changed. Switched on, their holders'
    activities waiting for it are pushed."""
    changed = seats.exclude(crm_sync=enabled).update(crm_sync=enabled)
    if changed and enabled:
        transaction.on_commit(_push_waiting_activities)
    return changed


def _push_waiting_activities() -> None:
    """A seat that syncs now: its holder's activities are due; push them within seconds."""
    activities_push_enqueue()


def seats_rematch(*, seats: QuerySet | None = None) -> int:
    """Read the Users of these seats (every seat by default) again, in batched queries, and
    match each seat anew; how many are matched now."""
    seats = list((seats if seats is not None else Seat.objects.all()).select_related("user"))
    if not seats:
        return 0
    matches = _matches(salesforce_client(), [seat.user.email for seat in seats])
    for seat in seats:
        _apply_match(seat, matches.get(seat.user.email.lower()))
    Seat.objects.bulk_update(seats, MATCH_FIELDS)
    return sum(seat.matched for seat in seats)


# -- matching ---------------------------------------------------------------------------------


def _matches(client: SalesforceClient, emails: Iterable[str]) -> dict[str, dict]:
    """The User row of each email (lower-cased): active before inactive, the oldest first."""
    values = sorted({email for email in emails if email})
    if not values:
        return {}
    rows = client.query_in("User", USER_FIELDS, field="Email", values=values)
    best: dict[str, dict] = {}
    for row in sorted(rows, key=lambda row: (not row["IsActive"], row["CreatedDate"], row["Id"])):
        best.setdefault((row["Email"] or "").lower(), row)
    return best


def _apply_match(seat: Seat, row: dict | None) -> None:
    seat.salesforce_user_id = row["Id"] if row else ""
    seat.salesforce_username = row["Username"] if row else ""
    seat.salesforce_email = row["Email"] if row else ""
    seat.salesforce_active = bool(row and row["IsActive"])
    seat.match_problem = "" if seat.salesforce_active else (INACTIVE if row else NO_USER)


def _with_matches(rows: list[dict]) -> list[SalesforceUser]:
    """The rows with their seats (by Salesforce user, else by email) and local users: two
    queries."""
    emails = {(row["Email"] or "").lower() for row in rows} - {""}
    users = dict(
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .order_by("-pk")
        .values_list("email_lower", "pk")
    )
    seats = list(
        Seat.objects.filter(
            Q(salesforce_user_id__in=[row["Id"] for row in rows]) | Q(user_id__in=users.values())
        )
    )
    by_user_id = {seat.salesforce_user_id: seat for seat in seats if seat.salesforce_user_id}
    by_user = {seat.user_id: seat for seat in seats}
    listed = []
    for row in rows:
        local = users.get((row["Email"] or "").lower())
        listed.append(SalesforceUser(
            salesforce_user_id=row["Id"], name=row["Name"] or "", username=row["Username"],
            email=row["Email"] or "", seat=by_user_id.get(row["Id"]) or by_user.get(local),
            has_local_user=local is not None,
        ))  # fmt: skip
    return listed


# -- local users and seats ----------------------------------------------------------------------


def _valid_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise SeatError(f"{email[:80]!r} is not an email address.") from None
    return email


def _local_user(email: str):
    """The local user with this email in any case (the oldest of several)."""
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def _user_create(email: str):
    """A new local user for a seat: signs in with Salesforce or after a password reset."""
    model = get_user_model()
    base = email.lower()[:150]
    username, number = base, 1
    while model.objects.filter(username=username).exists():
        number += 1
        username = f"{base[: 150 - len(str(number)) - 1]}-{number}"
    user = model(username=username, email=email)
    user.set_unusable_password()
    user.save()
    return user


def _require_free_licence(limit: int | None) -> None:
    """Raise SeatLimitError when every licence is taken."""
    used = Seat.objects.count()
    if limit is not None and used >= limit:
        raise SeatLimitError(
            f"No licence left: {used} of {limit} seats are used. Revoke a seat, or raise "
            "the licence count (seat_limit) in the sync settings."
        )


def _seat_of(email: str) -> Seat | None:
    return Seat.objects.select_related("user").filter(user__email__iexact=email).first()


def _seat(email: str) -> Seat:
    seat = _seat_of(email.strip())
    if seat is None:
        raise SeatNotFoundError(f"No seat is assigned to {email.strip()[:80]}.")
    return seat
