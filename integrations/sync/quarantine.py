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
    restored, refused = quarantine_restore_all([entry], deleted_in_salesforce=deleted_in_salesforce)
    if refused:
        raise RestoreError(refused[entry.pk])
    return restored[entry.salesforce_id]


def quarantine_restore_all(
    entries: list[QuarantinedRecord], *, deleted_in_salesforce: bool
) -> tuple[dict[str, models.Model], dict[int, str]]:
    """Restore a batch of quarantined records (one model) in one transaction, with a few
    queries whatever its size: the records back by Salesforce id, and why each refused one
    stays in quarantine (by entry key)."""
    records = {entry.pk: quarantine_snapshot(entry) for entry in entries}
    if not records:
        return {}, {}
    model = type(next(iter(records.values())))
    refused = _refusals(model, entries, records)
    back = [entry for entry in entries if entry.pk not in refused]
    restoring = [records[entry.pk] for entry in back]
    _forget_missing_targets(model, restoring)
    stamped = [field.attname for field in model._meta.concrete_fields
               if getattr(field, "auto_now_add", False)]  # fmt: skip
    kept = [{name: getattr(record, name) for name in stamped} for record in restoring]
    now = timezone.now()
    for record in restoring:
        record.deleted_in_salesforce = deleted_in_salesforce
        record.updated_at = now  # what a save would stamp
    with transaction.atomic():
        model.objects.bulk_create(restoring)
        if stamped and restoring:  # bulk_create stamps them too: they keep their own
            for record, values in zip(restoring, kept, strict=True):
                for name, value in values.items():
                    setattr(record, name, value)
            model.objects.bulk_update(restoring, stamped)
        QuarantinedRecord.objects.filter(pk__in=[entry.pk for entry in back]).delete()
    return {entry.salesforce_id: records[entry.pk] for entry in back}, refused


def _refusals(model, entries: list[QuarantinedRecord], records: dict) -> dict[int, str]:
    """Why each record that cannot come back cannot: its Salesforce id is linked to another
    record now, or another record (or one before it in the batch) has its key or a unique
    value; one query per unique field, other constraints checked record by record."""
    refused = {}
    linked = set(
        model.objects.filter(salesforce_id__in=[entry.salesforce_id for entry in entries])
        .values_list("salesforce_id", flat=True)
    )  # fmt: skip
    for entry in entries:
        if entry.salesforce_id in linked:
            refused[entry.pk] = (
                f"Another record is linked to {entry.salesforce_object} {entry.salesforce_id} now."
            )
    single, other = _unique_fields(model)
    for field in single:
        values = {entry.pk: getattr(records[entry.pk], field.attname) for entry in entries}
        lookup = {f"{field.attname}__in": [value for value in values.values() if value is not None]}
        taken = set(model.objects.filter(**lookup).values_list(field.attname, flat=True))
        for entry in entries:
            value = values[entry.pk]
            if value is not None and value in taken and entry.pk not in refused:
                refused[entry.pk] = (
                    f"A {model._meta.verbose_name} with this {field.verbose_name} already exists."
                )
            elif entry.pk not in refused:
                taken.add(value)  # a later record of the batch may not take it again
    for entry in entries:
        if entry.pk in refused:
            continue
        try:
            for constraint in other:
                constraint.validate(model, records[entry.pk])
        except ValidationError as error:
            refused[entry.pk] = " ".join(error.messages)
    return refused


def _unique_fields(model) -> tuple[list[models.Field], list[models.BaseConstraint]]:
    """The fields unique on their own (checked in bulk) and the model's other constraints."""
    single = [field for field in model._meta.concrete_fields if field.unique]
    other = []
    for constraint in model._meta.constraints:
        plain = isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1
        if plain and constraint.condition is None and not constraint.expressions:
            single.append(model._meta.get_field(constraint.fields[0]))
        else:
            other.append(constraint)
    return single, other


def _forget_missing_targets(model, records: list[models.Model]) -> None:
    """Empty every foreign key whose target was deleted while the records were away (one
    query per foreign key)."""
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        targets = {getattr(record, field.attname) for record in records} - {None}
        key = field.target_field.attname
        targets = field.related_model._base_manager.filter(**{f"{key}__in": targets})
        present = set(targets.values_list(key, flat=True))
        for record in records:
            if getattr(record, field.attname) not in present:
                setattr(record, field.attname, None)
