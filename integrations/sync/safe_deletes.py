"""Deletions the policy decides during a pull: recorded, braked, applied into quarantine.

A pulled batch records its deletions as `PendingDeletion` rows (`deletions_pend`) and marks
the records deleted in Salesforce, so nothing pushes to them meanwhile. After every pull of a
cycle, `deletions_settle` decides: while a brake holds, or when this cycle's deletions of a
model exceed the brake's threshold, they are held (history: skipped, held by the brake);
otherwise every record moves into quarantine (history: deleted). An admin's decision on a
brake is applied by `deletions_apply` (confirmed) or `deletions_keep` (cancelled); what a crash
left of either is finished by `decisions_finish` (the next settle, and the sweep). Each step
is safe to run twice.

A row coming back undeleted (`undeleted_back`) drops a held deletion, or restores the record
from quarantine within the window; so does a merge's loser row (`quarantined_losers_back`,
called by the merges first), for the merge to follow the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from integrations.choices import BrakeStatus, Direction, Operation
from integrations.models import (
    DeleteBrake,
    PendingDeletion,
    QuarantinedRecord,
    SyncRun,
    SyncSettings,
)
from integrations.sync.cycle import Cycle
from integrations.sync.db import update_rows
from integrations.sync.quarantine import (
    quarantine_entry,
    quarantine_restore_all,
    quarantine_snapshot,
)
from integrations.sync.recorder import Recorder
from integrations.sync.rules.delete_brake import brake_threshold, brake_trips
from integrations.sync.rules.deletion import deletion_message
from integrations.sync.rules.merge import unlink

CHUNK = 500
PREVIEW_DELETIONS = "preview_deletions"  # a preview's deletions, in `cycle.shared`
KEPT_FIELDS = ["salesforce_id", "deleted_in_salesforce", "sync_values"]


def deletions_pend(cycle: Cycle, sobject: str, records: list[models.Model]) -> None:
    """Record the deletions a pulled batch decided; the settle after the pulls applies them.
    A preview keeps them in the cycle (`_settle_preview`)."""
    if not records:
        return
    if cycle.preview is not None:
        cycle.shared.setdefault(PREVIEW_DELETIONS, []).extend((sobject, r) for r in records)
        return
    content_type = ContentType.objects.get_for_model(records[0])
    PendingDeletion.objects.bulk_create(
        [
            PendingDeletion(
                content_type=content_type,
                object_id=record.pk,
                salesforce_object=sobject,
                salesforce_id=record.salesforce_id,
                run=cycle.run,
            )  # fmt: skip
            for record in records
        ],
        ignore_conflicts=True,  # a batch read again after a crash
    )


def undeleted_back(
    cycle: Cycle, model: type[models.Model], sobject: str, rows: list[dict], linked: dict
) -> dict[str, models.Model]:
    """Rows not deleted (any more): a linked record marked deleted syncs again (its pending
    deletion dropped); an unlinked id in quarantine brings its record back. Returns the
    restored records by Salesforce id."""
    alive = {row["Id"] for row in rows if not row["IsDeleted"]}
    back = [record for record_id, record in linked.items()
            if record_id in alive and record.deleted_in_salesforce]  # fmt: skip
    if back:
        _drop_pending(cycle, model, sobject, back)
    entries = QuarantinedRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        salesforce_id__in=alive - set(linked),
        purge_after__gt=timezone.now(),
    )
    # a record that cannot come back stays in quarantine; its row is matched or created
    return _restored(
        cycle, list(entries), deleted_in_salesforce=False,
        message=f"The {sobject} was undeleted in Salesforce; the record was restored from "
        "quarantine.",
    )  # fmt: skip


def quarantined_losers_back(cycle: Cycle, sobject: str, loser_ids: list[str]) -> None:
    """Bring back from quarantine the records linked to a merge's losers (a Lead undeleted,
    then merged away, before a cycle saw it back), so the merge finds and follows them; they
    stay marked deleted until it does. A preview foresees no such restore."""
    if cycle.preview is not None:
        return
    entries = QuarantinedRecord.objects.filter(
        salesforce_object=sobject, salesforce_id__in=loser_ids, purge_after__gt=timezone.now()
    )
    _restored(
        cycle, list(entries), deleted_in_salesforce=True,
        message=f"The {sobject} was undeleted and merged in Salesforce; the record was "
        "restored from quarantine to follow the merge.",
    )  # fmt: skip


def _restored(
    cycle: Cycle, entries: list[QuarantinedRecord], *, deleted_in_salesforce: bool, message: str
) -> dict[str, models.Model]:
    """The records back from quarantine by Salesforce id, each with its history event in the
    same transaction; a preview only reads them from their snapshots."""
    if cycle.preview is not None:
        restored = {entry.salesforce_id: quarantine_snapshot(entry) for entry in entries}
        _record_restores(cycle, entries, restored, message)
        return restored
    with transaction.atomic():
        restored, _ = quarantine_restore_all(entries, deleted_in_salesforce=deleted_in_salesforce)
        _record_restores(cycle, entries, restored, message)
        cycle.recorder.flush()
    return restored


def _record_restores(cycle: Cycle, entries, restored: dict, message: str) -> None:
    for entry in entries:
        if entry.salesforce_id in restored:
            cycle.recorder.event(
                restored[entry.salesforce_id], direction=Direction.INBOUND,
                operation=Operation.CREATE, salesforce_object=entry.salesforce_object,
                salesforce_id=entry.salesforce_id, message=message,
            )  # fmt: skip


def deletions_settle(cycle: Cycle) -> None:
    """After the pulls: finish what an admin decided, then hold or apply the new deletions."""
    if cycle.preview is not None:
        _settle_preview(cycle)
        return
    settings, recorder = cycle.settings, cycle.recorder
    decisions_finish(recorder=recorder, settings=settings)
    fresh = PendingDeletion.objects.filter(brake__isnull=True)
    while fresh.exists():
        brake = DeleteBrake.objects.filter(status=BrakeStatus.HOLDING).first()
        if brake is None:
            brake = _brake_if_tripped(fresh, settings=settings, run=cycle.run)
        if brake is None:
            deletions_apply(fresh, recorder=recorder, settings=settings, run=cycle.run)
            return
        if _hold(fresh, brake=brake, recorder=recorder):
            return
        # decided while this cycle settled: what is left faces the brake afresh


def decisions_finish(*, recorder: Recorder, settings: SyncSettings) -> int:
    """Apply what admins decided and a crash left unapplied; how many records it touched."""
    confirmed = PendingDeletion.objects.filter(brake__status=BrakeStatus.CONFIRMED)
    cancelled = PendingDeletion.objects.filter(brake__status=BrakeStatus.CANCELLED)
    moved = deletions_apply(confirmed, recorder=recorder, settings=settings)
    return moved + deletions_keep(cancelled, recorder=recorder)


def deletions_apply(
    pending: QuerySet, *, recorder: Recorder, settings: SyncSettings, run: SyncRun | None = None
) -> int:
    """Move the pending deletions' records into quarantine; how many were moved."""
    moved, last = 0, 0
    now = timezone.now()
    while True:
        with transaction.atomic():
            chunk = _claimed(pending, after=last)
            if not chunk:
                return moved
            entries = [
                _quarantined(item, record, recorder=recorder, settings=settings, run=run, now=now)
                for item, record in _with_records(chunk)
            ]
            QuarantinedRecord.objects.bulk_create(entries, ignore_conflicts=True)
            for model, ids in _ids_by_model(entries).items():
                model.objects.filter(pk__in=ids).delete()
            PendingDeletion.objects.filter(pk__in=[item.pk for item in chunk]).delete()
            recorder.flush()
        moved += len(entries)
        last = chunk[-1].pk


def _quarantined(item, record, *, recorder, settings, run, now) -> QuarantinedRecord:
    """The history event of one applied deletion, and the record's quarantine row."""
    days = settings.quarantine_days
    recorder.event(
        record,
        direction=Direction.INBOUND,
        operation=Operation.DELETE,
        salesforce_object=item.salesforce_object,
        salesforce_id=item.salesforce_id,
        message=quarantined_message(item.salesforce_object, days=days),
    )
    return quarantine_entry(
        record, salesforce_object=item.salesforce_object, days=days, run=run, now=now
    )


def deletions_keep(pending: QuerySet, *, recorder: Recorder) -> int:
    """Keep the pending deletions' records, unlinked and marked, as the keep policy does."""
    kept, last = 0, 0
    while True:
        with transaction.atomic():
            chunk = _claimed(pending, after=last)
            if not chunk:
                return kept
            by_model = defaultdict(list)
            for item, record in _with_records(chunk):
                unlink(record)
                by_model[type(record)].append(record)
                recorder.event(
                    record, direction=Direction.INBOUND, operation=Operation.DELETE,
                    salesforce_object=item.salesforce_object, salesforce_id=item.salesforce_id,
                    message=f"{deletion_message(item.salesforce_object, deleted=False)} The "
                    "mass deletion was cancelled in the console.",
                )  # fmt: skip
            for model, records in by_model.items():
                update_rows(model, records, KEPT_FIELDS)
                kept += len(records)
            PendingDeletion.objects.filter(pk__in=[item.pk for item in chunk]).delete()
            recorder.flush()
        last = chunk[-1].pk


def _brake_if_tripped(fresh: QuerySet, *, settings: SyncSettings, run) -> DeleteBrake | None:
    """A new holding brake when a model's deletions in this cycle exceed its threshold."""
    counts = fresh.values("content_type").annotate(total=models.Count("id"))
    for row in counts:
        model = ContentType.objects.get_for_id(row["content_type"]).model_class()
        linked, threshold = _threshold(model, settings)
        if brake_trips(deletions=row["total"], threshold=threshold):
            return DeleteBrake.objects.create(
                run=run, tripped_count=row["total"], linked_count=linked, threshold=threshold
            )
    return None


def _settle_preview(cycle: Cycle) -> None:
    """What the settle would do with a preview's deletions, writing nothing: held while a
    brake holds or when a model's deletions exceed its threshold, else deleted."""
    pending = cycle.shared.get(PREVIEW_DELETIONS, [])
    holding = DeleteBrake.objects.filter(status=BrakeStatus.HOLDING).first()
    by_model = defaultdict(list)
    for sobject, record in pending:
        by_model[type(record)].append((sobject, record))
    settings = cycle.settings
    for model, items in by_model.items():
        _, threshold = _threshold(model, settings)
        tripped = brake_trips(deletions=len(items), threshold=threshold)
        held = holding is not None or tripped
        brake = (holding.tripped_count, holding.threshold) if holding else (len(items), threshold)
        for sobject, record in items:
            message = (
                held_message(sobject, tripped=brake[0], threshold=brake[1])
                if held
                else quarantined_message(sobject, days=settings.quarantine_days)
            )
            cycle.recorder.event(
                record, direction=Direction.INBOUND,
                operation=Operation.SKIP if held else Operation.DELETE,
                salesforce_object=sobject, salesforce_id=record.salesforce_id, message=message,
            )  # fmt: skip


def _threshold(model: type[models.Model], settings: SyncSettings) -> tuple[int, int]:
    """How many records of the model are linked now, and how many of them one cycle may
    delete without asking."""
    linked = model.objects.exclude(salesforce_id="").count()
    threshold = brake_threshold(percent=settings.delete_brake_percent,
                                count=settings.delete_brake_count, linked=linked)  # fmt: skip
    return linked, threshold


def quarantined_message(sobject: str, *, days: int) -> str:
    """The history's words for a deletion applied into quarantine."""
    return f"{deletion_message(sobject, deleted=True)} It stays in quarantine for {days} days."


def held_message(sobject: str, *, tripped: int, threshold: int) -> str:
    """The history's words for a deletion the brake holds."""
    return (
        f"The {sobject} was deleted in Salesforce; the deletion here is held by the "
        f"mass-delete brake ({tripped} deletions in one cycle, more than {threshold}): an "
        "admin confirms or cancels it."
    )


def _hold(fresh: QuerySet, *, brake: DeleteBrake, recorder: Recorder) -> bool:
    """Add the new deletions to what the brake holds; their records stay as they are. Each
    chunk is held in one transaction with the brake's row locked and still holding (an
    admin's decision locks it too); False when it was decided meanwhile: the deletions not
    held yet stay fresh, for the caller to settle afresh."""
    last = 0
    while True:
        with transaction.atomic():
            if (
                not DeleteBrake.objects.select_for_update()
                .filter(pk=brake.pk, status=BrakeStatus.HOLDING)
                .exists()
            ):
                return False
            chunk = _claimed(fresh, after=last)
            if not chunk:
                return True
            for item, record in _with_records(chunk):
                recorder.event(
                    record, direction=Direction.INBOUND, operation=Operation.SKIP,
                    salesforce_object=item.salesforce_object, salesforce_id=item.salesforce_id,
                    message=held_message(item.salesforce_object, tripped=brake.tripped_count,
                                         threshold=brake.threshold),
                )  # fmt: skip
            PendingDeletion.objects.filter(pk__in=[item.pk for item in chunk]).update(brake=brake)
            recorder.flush()
        last = chunk[-1].pk


def _drop_pending(cycle: Cycle, model, sobject: str, records: list[models.Model]) -> None:
    """The Salesforce records are back: no deletion here, and they sync again."""
    content_type = ContentType.objects.get_for_model(model)
    pks = [record.pk for record in records]
    if cycle.preview is None:
        PendingDeletion.objects.filter(content_type=content_type, object_id__in=pks).delete()
        model.objects.filter(pk__in=pks).update(deleted_in_salesforce=False)
    for record in records:
        record.deleted_in_salesforce = False
        cycle.recorder.event(
            record, direction=Direction.INBOUND, operation=Operation.UPDATE,
            salesforce_object=sobject, salesforce_id=record.salesforce_id,
            message=f"The {sobject} was undeleted in Salesforce; nothing is deleted here and "
            "the record syncs again.",
        )  # fmt: skip


def _with_records(chunk: list[PendingDeletion]) -> Iterator[tuple[PendingDeletion, models.Model]]:
    """Each pending deletion with its record, while the record is still linked to the deleted
    Salesforce record; one whose record is gone, or was unlinked or linked elsewhere since
    (e.g. by a CRM data purge), is skipped (and its pending row dropped by the caller)."""
    by_type = defaultdict(list)
    for item in chunk:
        by_type[item.content_type_id].append(item)
    for content_type_id, items in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        locked = model.objects.select_for_update()  # no host write between snapshot and delete
        records = locked.in_bulk([item.object_id for item in items])
        for item in items:
            record = records.get(item.object_id)
            if record is not None and record.salesforce_id == item.salesforce_id:
                yield item, record


def _ids_by_model(entries: Iterable[QuarantinedRecord]) -> dict[type, list[int]]:
    ids = defaultdict(list)
    for entry in entries:
        ids[entry.content_type.model_class()].append(entry.object_id)
    return ids


def _claimed(pending: QuerySet, *, after: int) -> list[PendingDeletion]:
    """The next chunk of pending rows by key after `after`, locked until the caller's
    transaction ends, so a long list is never held in memory and no two workers (a sync
    cycle, the sweep, an admin's request) handle the same row: rows another worker holds are
    skipped (left to it), rows it handled are gone. On SQLite row locks do not exist; its
    transactions take the write lock when they begin (IMMEDIATE), which serialises them."""
    claimed = pending.filter(pk__gt=after).order_by("pk")
    return list(claimed.select_for_update(skip_locked=True, of=("self",))[:CHUNK])
