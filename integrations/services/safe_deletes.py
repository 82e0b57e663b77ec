"""The admin's side of safe deletes: decide a held mass deletion, restore from quarantine,
purge what outlived the quarantine window.

Deciding a brake first records the decision (status, who, when) in one transaction, then
applies it; a crash in between is finished by the sweep or the next sync cycle. A decision
covers what the admin saw: the page posts the last held deletion it showed (`upto`), and the
deletions held after it move to a new holding brake, for the next decision. The
purge deletes the quarantine rows only: the records' history (SyncEvent) stays.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import models, transaction
from django.utils import timezone

from integrations.choices import BrakeStatus, Direction, Operation
from integrations.models import DeleteBrake, QuarantinedRecord, SyncSettings
from integrations.sync.quarantine import quarantine_restore
from integrations.sync.recorder import Recorder
from integrations.sync.safe_deletes import decisions_finish, deletions_apply, deletions_keep


class BrakeDecidedError(Exception):
    """The brake was confirmed or cancelled already (e.g. by another admin)."""


class Decided(NamedTuple):
    """What a decision on a brake did."""

    records: int  # the records it deleted or kept
    later: int  # deletions held after the page was shown, held now by a new brake


def delete_brake_confirm(*, brake: DeleteBrake, user, upto: int) -> Decided:
    """Apply the deletions the brake holds, up to the key `upto` the admin saw (into
    quarantine)."""
    later = _brake_decide(brake=brake, status=BrakeStatus.CONFIRMED, user=user, upto=upto)
    recorder = Recorder(None)
    moved = deletions_apply(brake.held.all(), recorder=recorder, settings=SyncSettings.load())
    return Decided(moved, later)


def delete_brake_cancel(*, brake: DeleteBrake, user, upto: int) -> Decided:
    """Delete none of what the brake holds, up to the key `upto` the admin saw: the records
    stay, unlinked and marked deleted in Salesforce."""
    later = _brake_decide(brake=brake, status=BrakeStatus.CANCELLED, user=user, upto=upto)
    return Decided(deletions_keep(brake.held.all(), recorder=Recorder(None)), later)


def quarantined_record_restore(*, entry: QuarantinedRecord, user) -> models.Model:
    """Bring the record back with its key and Salesforce link; it stays marked deleted in
    Salesforce (nothing is sent to a deleted record) until Salesforce undeletes it.
    RestoreError says why it cannot come back."""
    with transaction.atomic():
        record = quarantine_restore(entry, deleted_in_salesforce=True)
        recorder = Recorder(None)
        who = user.get_username() if user is not None else "an admin"
        recorder.event(
            record,
            direction=Direction.INBOUND,
            operation=Operation.CREATE,
            salesforce_object=entry.salesforce_object,
            salesforce_id=entry.salesforce_id,
            message=f"Restored from quarantine by {who}, linked to its {entry.salesforce_object} "
            "again; it syncs again once the record is undeleted in Salesforce.",
        )
        recorder.flush()
    return record


def delete_brakes_resume() -> int:
    """Finish the brake decisions a lost request left half applied (the sweep); how many
    records that touched."""
    return decisions_finish(recorder=Recorder(None), settings=SyncSettings.load())


def quarantine_purge() -> int:
    """Delete the quarantined records whose window has passed; how many."""
    purged, _ = QuarantinedRecord.objects.filter(purge_after__lte=timezone.now()).delete()
    return purged


def _brake_decide(*, brake: DeleteBrake, status: BrakeStatus, user, upto: int) -> int:
    """Record the decision, the brake's row locked (a cycle holding more deletions locks it
    too); the deletions held after `upto` move to a new holding brake: how many."""
    with transaction.atomic():
        current = DeleteBrake.objects.select_for_update().get(pk=brake.pk)
        if current.status != BrakeStatus.HOLDING:
            raise BrakeDecidedError(f"This brake was {current.get_status_display().lower()}.")
        current.status, current.decided_by, current.decided_at = status, user, timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        later = current.held.filter(pk__gt=upto)
        moved = 0
        if later.exists():
            successor = DeleteBrake.objects.create(
                run=current.run,
                tripped_count=current.tripped_count,
                linked_count=current.linked_count,
                threshold=current.threshold,
            )
            moved = later.update(brake=successor)
    brake.refresh_from_db()
    return moved
