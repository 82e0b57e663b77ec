"""Merging one local record into another after their Salesforce records were merged.

The survivor (the local record linked to the surviving Salesforce record) takes the
merged-away record's history (its SyncEvents), everything that points at it (every foreign
key and many-to-many relation to its model: a company's contacts and opportunities, a
contact's opportunities, ...) and the values the field rules give it
(`rules.local_merge`); then the merged-away record is deleted. The caller holds the
transaction, so all of it happens or none does.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from integrations.sync.rules.fields import FieldMap, read_local, write_local
from integrations.sync.rules.local_merge import LOCAL_RULES, values_taken
from tracking.models import SyncEvent

# Never taken from the merged-away record: identity, keys and the sync's bookkeeping.
NOT_FILLED = {
    "id", "email", "email_key", "name_key", "origin", "salesforce_id", "salesforce_object",
    "salesforce_owner_id", "account_salesforce_id", "salesforce_synced_at",
    "salesforce_modstamp", "sync_values", "deleted_in_salesforce", "local_modified_at",
    "created_at", "updated_at",
}  # fmt: skip
KEPT = ("email",)  # a contact keeps its own email address (the key it is known by)


def records_merge(
    *, survivor: models.Model, loser: models.Model, maps: list[FieldMap], sobject: str
) -> list:
    """Merge `loser` into `survivor` (both locked by the caller); the history's changes.

    A change of the loser the survivor takes is one Salesforce has not had: it keeps its
    time and is sent by the next push. The survivor is re-read from Salesforce (its
    SystemModstamp is cleared), which settles the fields Salesforce decides.
    """
    fillable = [
        field.attname
        for field in survivor._meta.concrete_fields
        if field.attname not in NOT_FILLED and not field.unique
    ]
    taken = values_taken(survivor=survivor, loser=loser, maps=maps, sobject=sobject,
                         fillable=fillable, kept=KEPT)  # fmt: skip
    changes = [{"field": name, "old": read_local(survivor, name), "new": value}
               for name, value in taken.items()]  # fmt: skip
    _move_history(loser, survivor)
    _move_relations(loser, survivor)
    loser.delete()  # first: the survivor may take a value only one record may have (a domain)
    for name, value in taken.items():
        write_local(survivor, name, value)
    if any(item.local in taken for item in maps if item.rule in LOCAL_RULES):
        # a taken change always has a time (rules.local_merge); keep the newer of the two
        changed = loser.local_modified_at
        survivor.local_modified_at = max(changed, survivor.local_modified_at or changed)
        survivor.salesforce_synced_at = None  # unsent: the next push sends it
    survivor.salesforce_modstamp = None
    survivor.save()
    return changes


def _move_history(loser: models.Model, survivor: models.Model) -> None:
    content_type = ContentType.objects.get_for_model(type(loser))
    SyncEvent.objects.filter(content_type=content_type, object_id=loser.pk).update(
        object_id=survivor.pk
    )


def _move_relations(loser: models.Model, survivor: models.Model) -> None:
    """Point every row that points at `loser` at `survivor`; a many-to-many link the
    survivor has already is not doubled (the loser's goes with it)."""
    for relation in type(loser)._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            own, other = relation.field.m2m_reverse_field_name(), relation.field.m2m_field_name()
            present = through.objects.filter(**{own: survivor}).values(f"{other}_id")
            through.objects.filter(**{own: loser}).exclude(**{f"{other}_id__in": present}).update(
                **{own: survivor}
            )
        elif relation.one_to_many:
            name = relation.field.name
            relation.related_model._base_manager.filter(**{name: loser}).update(**{name: survivor})
