"""The admin's side of safe deletes: decide a held mass deletion, restore from quarantine,
purge what outlived the quarantine window.

Deciding a brake first records the decision (status, who, when) in one transaction, then
applies it; a crash in between is finished by the sweep or the next sync cycle. The
purge deletes the quarantine rows only: the records' history (SyncEvent) stays.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from integrations.choices import BrakeStatus, Direction, Operation
from integrations.models import DeleteBrake, QuarantinedRecord, SyncSettings
from integrations.sync.quarantine import quarantine_restore
from integrations.sync.recorder import Recorder
from integrations.sync.safe_deletes import decisions_finish, deletions_apply, deletions_keep


class BrakeDecidedError(Exception):
    """The brake was confirmed or cancelled already (e.g. by another admin)."""


def delete_brake_confirm(*, brake: DeleteBrake, user) -> int:
    """Apply every deletion the brake holds (into quarantine); how many records moved."""
    _brake_decide(brake=brake, status=BrakeStatus.CONFIRMED, user=user)
    recorder = Recorder(None)
    return deletions_apply(brake.held.all(), recorder=recorder, settings=SyncSettings.load())


def delete_brake_cancel(*, brake: DeleteBrake, user) -> int:
    """Delete none of what the brake holds: the records stay, unlinked and marked deleted
    in Salesforce; how many were kept."""
    _brake_decide(brake=brake, status=BrakeStatus.CANCELLED, user=user)
    return deletions_keep(brake.held.all(), recorder=Recorder(None))


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


def _brake_decide(*, brake: DeleteBrake, status: BrakeStatus, user) -> None:
    with transaction.atomic():
        current = DeleteBrake.objects.select_for_update().get(pk=brake.pk)
        if current.status != BrakeStatus.HOLDING:
            raise BrakeDecidedError(f"This brake was {current.get_status_display().lower()}.")
        current.status, current.decided_by, current.decided_at = status, user, timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
    brake.refresh_from_db()
