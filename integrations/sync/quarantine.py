"""Moving a local record into quarantine and back: a serialized snapshot, the same key.

The snapshot is Django's JSON serialization of the row (its own fields and foreign keys).
Restoring saves it again with its primary key, so the record's history (SyncEvent, by content
type + id) belongs to it again; a foreign key whose target is gone meanwhile becomes empty.
Many-to-many links held by other records (an opportunity's contacts) are not kept: the next
pull of those records links them again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from integrations.models import QuarantinedRecord


class RestoreError(Exception):
    """The quarantined record cannot come back as it was (e.g. its email is taken now)."""


def quarantine_entry(
    record: models.Model, *, salesforce_object: str, days: int, run=None, now: datetime
) -> QuarantinedRecord:
    """The (unsaved) quarantine row keeping `record` restorable for `days`."""
    return QuarantinedRecord(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        label=str(record)[:255],
        snapshot=serializers.serialize("json", [record]),
        salesforce_object=salesforce_object,
        salesforce_id=record.salesforce_id,
        run=run,
        deleted_at=now,
        purge_after=now + timedelta(days=days),
    )


def quarantine_snapshot(entry: QuarantinedRecord) -> models.Model:
    """The quarantined record as it was, in memory only (not saved)."""
    return next(serializers.deserialize("json", entry.snapshot)).object


def quarantine_restore(entry: QuarantinedRecord, *, deleted_in_salesforce: bool) -> models.Model:
    """Save the record back with its key and Salesforce link and drop the quarantine row;
    RestoreError when something here now has its key, its link or a unique value."""
    record = quarantine_snapshot(entry)
    model = type(record)
    if model.objects.filter(salesforce_id=entry.salesforce_id).exists():
        raise RestoreError(
            f"Another record is linked to {entry.salesforce_object} {entry.salesforce_id} now."
        )
    try:
        record.validate_unique()
        record.validate_constraints()
    except ValidationError as error:
        raise RestoreError(" ".join(error.messages)) from error
    _forget_missing_targets(record)
    record.deleted_in_salesforce = deleted_in_salesforce
    record.updated_at = timezone.now()  # a raw save leaves auto_now alone
    with transaction.atomic():
        record.save_base(raw=True, force_insert=True)
        entry.delete()
    return record


def _forget_missing_targets(record: models.Model) -> None:
    """Empty every foreign key whose target was deleted while the record was away."""
    for field in record._meta.concrete_fields:
        if not field.many_to_one:
            continue
        target = getattr(record, field.attname)
        if target is not None and not field.related_model.objects.filter(pk=target).exists():
            setattr(record, field.attname, None)
