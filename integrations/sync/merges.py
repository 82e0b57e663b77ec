"""Following Salesforce merges on pull: a merge's losers are re-linked or merged, never deleted.

When records are merged in Salesforce (Leads, Contacts or Accounts), the losers come back
deleted with `MasterRecordId` naming the surviving record (the master). Such a row is no
deletion here: a handler hands its batch to `merges_follow` first, which takes those rows
out before the deletion policies see them. In one transaction for the whole batch, it moves
the local references to the losers' ids to their masters (activities' WhoId/WhatId, contacts'
and opportunities' Account: one UPDATE per field), as Salesforce reparents the records behind
them, and the local record linked to each loser is re-linked to its master when no local
record follows the master yet, or else merged into the one that does (`local_merge`). A
contact's email stays known as an alias of the contact that follows the master
(`ContactEmailAlias`): the host product may post it again, and must not create a duplicate
that the push would send to Salesforce. Then the masters whose local record waits for a read,
and whose row is not in the batch anyway, are read in one query and applied through the
handler's usual path, which settles the synced fields.

The queries do not grow with the losers (a local merge costs its own few).

Safe to run twice (a crash between steps, the overlap window reading a row again): a loser
no local record follows any more changes nothing, and a local record waits for its master
(SystemModstamp cleared) until the master has been read.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from integrations.choices import Direction, Operation
from integrations.sync import pull
from integrations.sync.cycle import Cycle
from integrations.sync.local_merge import records_merge
from integrations.sync.safe_deletes import quarantined_losers_back
from tracking.choices import SalesforceObject
from tracking.models import (
    Activity,
    Company,
    Contact,
    ContactEmailAlias,
    Link,
    Opportunity,
    Visit,
)

ACCOUNT = "Account"
ACTIVITIES = (Link, Visit, Activity)
# Local fields holding a Salesforce id of each object (besides the records' own links).
REFERENCES: dict[str, list[tuple[type[models.Model], str]]] = {
    ACCOUNT: [
        (Contact, "account_salesforce_id"),
        (Opportunity, "account_salesforce_id"),
        *((model, "salesforce_what_id") for model in ACTIVITIES),
    ],
    **{
        person: [(model, "salesforce_who_id") for model in ACTIVITIES]
        for person in SalesforceObject.values
    },
}
MODELS = {ACCOUNT: Company, **{person: Contact for person in SalesforceObject.values}}
NOUNS = {Company: "company", Contact: "contact"}
Apply = pull.Apply
RELINK_FIELDS = ["salesforce_id", "sync_values", "salesforce_modstamp", "deleted_in_salesforce"]


def relinked_message(sobject: str, loser_id: str, master_id: str, noun: str) -> str:
    return (
        f"The {sobject} {loser_id} was merged into {master_id} in Salesforce; "
        f"this {noun} now follows {master_id}."
    )


def merged_message(sobject: str, loser_id: str, master_id: str, loser: models.Model) -> str:
    noun = NOUNS[type(loser)]
    return (
        f"The {sobject} {loser_id} was merged into {master_id} in Salesforce; the local "
        f"{noun} {loser} (#{loser.pk}) was merged into this one, with its history."
    )


def merged_away(row: dict) -> bool:
    """Whether a pulled row is a merge's loser: deleted, naming the record it went into."""
    return bool(row.get("IsDeleted") and row.get("MasterRecordId"))


def merges_follow(
    cycle: Cycle, sobject: str, rows: list[dict], *, base_fields: list[str], apply: Apply
) -> list[dict]:
    """Follow the merge losers among one batch of pulled rows (before the batch is applied,
    so a master's row in it finds the record re-linked to it); the other rows."""
    losers = [(row["Id"], row["MasterRecordId"]) for row in rows if merged_away(row)]
    if not losers:
        return rows
    quarantined_losers_back(cycle, sobject, [loser for loser, _ in losers])
    if cycle.preview is not None:
        _foresee(cycle, sobject, losers)
        return [row for row in rows if not merged_away(row)]
    cycle.recorder.flush()  # the losers' events are in the table, so they move too
    followed = _final_masters(dict(losers))
    with transaction.atomic():
        _move_references(sobject, followed)
        _follow(cycle, sobject, followed)
        cycle.recorder.flush()
    rest = [row for row in rows if row["Id"] not in followed]
    masters = set(followed.values()) - {row["Id"] for row in rest}
    _read_masters(cycle, sobject, masters, base_fields, apply)
    return rest


def _foresee(cycle: Cycle, sobject: str, losers: list[tuple[str, str]]) -> None:
    """A preview: the events following the merges would record, writing nothing. A loser's
    record is re-linked to its master in memory and handed to the preview's store, so the
    master's row in the batch finds it (the masters are not re-read: their rows come with
    the next real cycle's)."""
    model = MODELS[sobject]
    ids = {record_id for pair in losers for record_id in pair}
    linked = {
        record.salesforce_id: record for record in model.objects.filter(salesforce_id__in=ids)
    } | cycle.store.linked(model, ids)
    for loser_id, master_id in losers:
        record, survivor = linked.get(loser_id), linked.get(master_id)
        if record is None:
            continue
        if survivor is None:
            message = relinked_message(sobject, loser_id, master_id, NOUNS[model])
            record.salesforce_id, record.sync_values = master_id, {}
            record.salesforce_modstamp, record.deleted_in_salesforce = None, False
            cycle.store.update(model, [record], RELINK_FIELDS)
            linked[master_id] = record
        else:
            message, record = merged_message(sobject, loser_id, master_id, record), survivor
        _event(cycle, sobject, record, loser_id, master_id, [], message)


def _follow(cycle: Cycle, sobject: str, followed: dict[str, str]) -> None:
    """The local records linked to each loser follow its master: re-linked to it, or merged
    into the local record that follows it already. One query locks them all; the re-links
    are written together, and so are the emails contacts keep (`_keep_emails`)."""
    model = MODELS[sobject]
    linked: dict[str, list[models.Model]] = {}
    ids = {*followed, *followed.values()}
    for record in model.objects.select_for_update().filter(salesforce_id__in=ids).order_by("pk"):
        linked.setdefault(record.salesforce_id, []).append(record)
    maps = cycle.field_maps(sobject)
    relinked: dict[int, models.Model] = {}
    kept: dict[str, tuple[str, models.Model]] = {}  # email key → (email, contact)
    for loser_id, master_id in followed.items():
        for record in linked.pop(loser_id, []):
            survivors = linked.setdefault(master_id, [])
            if survivors:
                message = merged_message(sobject, loser_id, master_id, record)
                cycle.recorder.flush()  # its events so far move with its history
                changes = records_merge(survivor=survivors[0], loser=record, maps=maps,
                                        sobject=sobject)  # fmt: skip
                relinked.pop(record.pk, None)
                _event(cycle, sobject, survivors[0], loser_id, master_id, changes, message)
                _keep(kept, record, survivors[0])
                continue
            record.salesforce_id, record.sync_values = master_id, {}
            record.salesforce_modstamp, record.deleted_in_salesforce = None, False
            survivors.append(relinked.setdefault(record.pk, record))
            message = relinked_message(sobject, loser_id, master_id, NOUNS[model])
            _event(cycle, sobject, record, loser_id, master_id, [], message)
            _keep(kept, record, record)
    cycle.store.update(model, list(relinked.values()), RELINK_FIELDS)
    _keep_emails(cycle, kept)


def _keep(kept: dict, record: models.Model, follower: models.Model) -> None:
    """A contact's email stays known, pointing at the contact that follows its master now
    (and so does any email kept for it earlier in the batch)."""
    if not isinstance(record, Contact):
        return
    for key, (email, contact) in kept.items():
        if contact is record:
            kept[key] = (email, follower)
    if record.email:
        kept[record.email_key] = (record.email, follower)


def _keep_emails(cycle: Cycle, kept: dict[str, tuple[str, Contact]]) -> None:
    """The host product may post a merged-away or re-linked contact's email again: it stays
    an alias of the contact that follows the master (one that had it already moves)."""
    aliases = [ContactEmailAlias(email=email, contact=contact) for email, contact in kept.values()]
    cycle.store.create(ContactEmailAlias, aliases, update_conflicts=True,
                       unique_fields=["email_key"], update_fields=["email", "contact"])  # fmt: skip


def _event(cycle, sobject, record, loser_id: str, master_id: str, changes, message) -> None:
    cycle.recorder.event(
        record,
        direction=Direction.INBOUND,
        operation=Operation.MATCH,
        salesforce_object=sobject,
        salesforce_id=master_id,
        changes=[{"field": "salesforce_id", "old": loser_id, "new": master_id}, *changes],
        message=message,
    )


def _read_masters(cycle: Cycle, sobject: str, masters: set[str], base_fields, apply) -> None:
    """Read the masters a local record waits for (one query) and apply them as a pull does;
    a master merged or deleted since comes back deleted and is handled as such."""
    waiting = set(
        MODELS[sobject]
        .objects.filter(salesforce_id__in=masters, salesforce_modstamp=None)
        .values_list("salesforce_id", flat=True)
    )
    if not waiting:
        return
    maps, fields = pull.pulled_fields(cycle, sobject, base_fields)
    rows = cycle.client.query_in(
        sobject, fields, field="Id", values=sorted(waiting), include_deleted=True
    )
    pull.apply_rows(cycle, sobject, list(rows), maps, apply=apply)


def _move_references(sobject: str, followed: dict[str, str]) -> None:
    """Local fields holding a loser's id hold its master's (Salesforce moved the records):
    one UPDATE per field for the whole batch."""
    now = timezone.now()
    for model, field in REFERENCES[sobject]:
        changes = {field: Case(*(When(**{field: loser_id}, then=Value(master_id))
                                 for loser_id, master_id in followed.items()))}  # fmt: skip
        if any(item.name == "updated_at" for item in model._meta.concrete_fields):
            changes["updated_at"] = now  # the read API's cursor sees the change
        model.objects.filter(**{f"{field}__in": list(followed)}).update(**changes)


def _final_masters(masters: dict[str, str]) -> dict[str, str]:
    """Each loser's master, in the batch's order; a master merged away in the same batch
    passes its losers on to its own master (whatever order the rows came in)."""
    final = {}
    for loser_id, master_id in masters.items():
        seen = {loser_id}
        while master_id in masters and master_id not in seen:
            seen.add(master_id)
            master_id = masters[master_id]
        final[loser_id] = master_id
    return final
