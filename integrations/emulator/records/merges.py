"""Merging records, as Salesforce's `merge()` call (and a user merging duplicates) does.

Up to three records of one object (Lead, Contact or Account) become one: the master survives,
the others (the victims) go to the recycle bin with `MasterRecordId` set to the master, and
whatever pointed at a victim is reparented to the master first (an Account's Contacts and
Opportunities, Tasks' WhoId and WhatId, notes, note links, opportunity contact roles, Cases:
every lookup to the object). Then
the master is updated with the field values the request gives it (a victim's values win only
when the caller names them), which moves its SystemModstamp. All of it happens or none does.
"""

from ..errors import ApiError

MERGEABLE = ("Lead", "Contact", "Account")
MAX_RECORDS = 3  # the master included, as in the Salesforce UI


def merge_records(
    store,
    obj: str,
    master_id: str,
    victim_ids: list[str],
    *,
    fields: dict | None = None,
    user_id: str | None = None,
) -> dict:
    """Merge the victims into the master; returns MergeResult's fields (`id`,
    `mergedRecordIds`, `updatedRelatedIds`)."""
    sobject = store.object_type(obj)
    if sobject.name not in MERGEABLE:
        raise ApiError("INVALID_TYPE_FOR_OPERATION", f"merge is not supported for {sobject.name}")
    master, victims = _check_request(store, sobject, master_id, victim_ids)
    with store.atomic():
        moved = []
        for victim in victims:
            moved += _reparent(store, sobject, victim["Id"], master["Id"], user_id)
            store.delete(sobject.name, victim["Id"], user_id, master_record_id=master["Id"])
        store.update(sobject.name, master["Id"], fields or {}, user_id)
    return {
        "id": master["Id"],
        "mergedRecordIds": [victim["Id"] for victim in victims],
        "updatedRelatedIds": moved,
    }


def _check_request(store, sobject, master_id: str, victim_ids) -> tuple[dict, list[dict]]:
    """The master and the victims, or Salesforce's error for a request it refuses."""
    if not isinstance(victim_ids, list) or not victim_ids:
        raise ApiError(
            "REQUIRED_FIELD_MISSING", "recordToMergeIds is required", fields=["recordToMergeIds"]
        )
    if len(victim_ids) + 1 > MAX_RECORDS:
        raise ApiError(
            "LIMIT_EXCEEDED",
            f"A merge request can merge up to {MAX_RECORDS} records, the master included.",
        )
    master = store.existing(sobject, str(master_id or ""))
    victims = [store.existing(sobject, str(victim_id)) for victim_id in victim_ids]
    ids = [master["Id"], *(victim["Id"] for victim in victims)]
    if len(set(ids)) != len(ids):
        raise ApiError(
            "INVALID_ID_FIELD", "A record cannot be merged with itself or listed twice.",
            fields=["recordToMergeIds"],
        )  # fmt: skip
    if any(record.get("IsConverted") for record in (master, *victims)):
        raise ApiError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
    return master, victims


def _reparent(store, sobject, victim_id: str, master_id: str, user_id) -> list[str]:
    """Point every live record that references the victim (any lookup to its object, but
    MasterRecordId) at the master; their ids. The master's own lookups stay as they are."""
    moved = []
    for other in store.schema.objects.values():
        fields = [
            spec.name
            for spec in other.fields.values()
            if sobject.name in spec.reference_to and spec.name != "MasterRecordId"
        ]
        if not fields:
            continue
        for record in store.all(other.name):
            changes = {name: master_id for name in fields if record.get(name) == victim_id}
            if changes and record["Id"] != master_id:
                store.update(other.name, record["Id"], changes, user_id, system=True)
                moved.append(record["Id"])
    return moved
