"""Group activation and deactivation of CRM sync (Sales Navigator's licence management).

Activation needs a connected org: it switches the sync on and starts the first import, a
sync run, for every seat holder with CRM sync. Deactivation switches CRM sync off for every
seat (and "auto-sync all seat holders" with it) and stops the sync; with the purge, every
local record that came from Salesforce is deleted and the records created here lose their
Salesforce link (services/crm_purge.py). Records created here are never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from integrations.choices import PURGE_TERMINAL_STATUSES, RunTrigger
from integrations.exceptions import CrmActivationError
from integrations.models import CrmDataPurge, SalesforceConnection, Seat, SyncRun, SyncSettings
from integrations.services.crm_purge import (
    KINDS,
    crm_data_purge_create,
    crm_data_purge_enqueue,
)
from integrations.services.sync import (
    salesforce_sync_create,
    salesforce_sync_enqueue,
    salesforce_sync_run,
)

NOT_CONNECTED_HINT = (
    "Connect your org on the Salesforce connection page (or with `python manage.py "
    "salesforce_connect`), then activate CRM sync."
)

NO_SEAT_HOLDERS_HINT = (
    "No seat holder has CRM sync yet: turn on “auto-sync all seat holders” in the sync "
    "settings, or CRM sync on the seats that should have it."
)


@dataclass(frozen=True)
class Activation:
    """The first import's run, and how many of the seats have CRM sync."""

    run: SyncRun
    seat_holders: int
    seats: int


@dataclass(frozen=True)
class Deactivation:
    """How many seats lost CRM sync, and the purge (None without one)."""

    seats: int
    purge: CrmDataPurge | None


@dataclass(frozen=True)
class PurgeCount:
    """What a purge would do to one kind of record: delete the imported, keep the others."""

    kind: str
    delete: int
    keep: int


def crm_sync_activate(*, background: bool = True) -> Activation:
    """Switch the sync on and start the first import: queued for the task cluster, or (not
    `background`, e.g. from the command) run here and now. When no seat syncs (as after a
    group deactivation), CRM sync is switched on for every seat: a group activation;
    otherwise the seats' own switches stay as the admin set them."""
    if not SalesforceConnection.load().is_connected:
        raise CrmActivationError(
            "Salesforce is not connected.", hint=NOT_CONNECTED_HINT, needs_connection=True
        )
    _refuse_during_purge("An import")
    with transaction.atomic():
        SyncSettings.load().update_columns(sync_enabled=True, updated_at=timezone.now())
        if not seat_holders_with_crm_sync():
            Seat.objects.update(crm_sync=True)
        if background:
            run = salesforce_sync_enqueue(trigger=RunTrigger.MANUAL)
        else:
            run = salesforce_sync_create(trigger=RunTrigger.COMMAND)
    if not background:
        salesforce_sync_run(run=run)
    return Activation(
        run=run, seat_holders=seat_holders_with_crm_sync(), seats=Seat.objects.count()
    )


@transaction.atomic
def crm_sync_deactivate(*, purge: bool, user=None, background: bool = True) -> Deactivation:
    """Turn CRM sync off for every seat and stop the sync; with `purge`, record the purge of
    imported data and queue it (not `background`: the caller runs it, e.g. the command).
    A purge while another is unfinished is refused (a second click, a second admin)."""
    if purge:
        _refuse_during_purge("Another purge of imported CRM data")
    SyncSettings.load().update_columns(
        sync_enabled=False, auto_sync_seat_holders=False, updated_at=timezone.now()
    )
    Seat.objects.filter(crm_sync=True).update(crm_sync=False)
    record = None
    if purge:
        counts = {
            count.kind: {"to_delete": count.delete, "to_keep": count.keep}
            for count in purge_counts()
        }
        record = crm_data_purge_create(counts=counts, user=user)
    if record is not None and background:
        crm_data_purge_enqueue(purge=record)
    return Deactivation(seats=Seat.objects.count(), purge=record)


def purge_counts() -> list[PurgeCount]:
    """Per kind of record, how many a purge would delete and how many it would keep."""
    return [
        PurgeCount(kind.name, delete=kind.to_delete().count(), keep=kind.to_keep().count())
        for kind in KINDS
    ]


def _refuse_during_purge(what: str) -> None:
    unfinished = CrmDataPurge.objects.exclude(status__in=PURGE_TERMINAL_STATUSES).first()
    if unfinished is not None:
        raise CrmActivationError(
            f"{unfinished} has not finished yet: {what.lower()} now would run alongside it.",
            hint="Try again once it has finished (see CRM data purges).",
        )


def seat_holders_with_crm_sync() -> int:
    """How many seat holders have their CRM work synced (auto-sync, or their own switch)."""
    seats = Seat.objects.all()
    return (
        seats if SyncSettings.load().auto_sync_seat_holders else seats.filter(crm_sync=True)
    ).count()
