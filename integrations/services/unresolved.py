"""Matching an unresolved link, visit or activity to a Salesforce record by hand.

The chosen record is read back from Salesforce by its id (it must be a record of the chosen
object, and a Lead must not be converted) before anything changes here. Then, in one
transaction: the record is linked (a Contact or Lead as `salesforce_who_id`, an Account as
`salesforce_what_id`, never both: Salesforce refuses a Lead's Task with a WhatId, and a
manual match replaces whatever was found before), marked matched by hand and changed here
(so the sync pushes it), and its history says who matched it to what. Once that commits,
`activity_records_changed` asks the sync to write it to Salesforce within seconds.
"""

from __future__ import annotations

import re

from django.db import models, transaction
from django.utils import timezone

from integrations.choices import Direction, Operation
from integrations.models import MappedObject
from integrations.salesforce.soql import format_soql, select
from integrations.services.connection import salesforce_client
from integrations.sync.lease import ACTIVITIES, LeaseBusyError, lease_held
from integrations.sync.recorder import Recorder
from tracking.choices import MatchMethod
from tracking.models import Link
from tracking.signals import activity_records_changed

# A 15-character id, or its 18-character form (fullmatch: no trailing newline).
MATCH_WAIT_SECONDS = 10  # a push of the activities lane takes seconds
SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
PEOPLE = (MappedObject.CONTACT, MappedObject.LEAD)
NAMED = {
    MappedObject.CONTACT: "a Contact",
    MappedObject.LEAD: "an unconverted Lead",
    MappedObject.ACCOUNT: "an Account",
}


class ManualMatchError(Exception):
    """The match cannot be made; the message says why, for the person who asked."""


class NoLongerUnresolvedError(ManualMatchError):
    """The record was matched meanwhile (by the sync, or by someone else)."""


def match_objects(record: models.Model) -> tuple[str, ...]:
    """What `record` can be matched to: a link's Task goes on an Account, a visit's or an
    activity's on a Contact, a Lead or an Account."""
    if isinstance(record, Link):
        return (MappedObject.ACCOUNT,)
    return (*PEOPLE, MappedObject.ACCOUNT)


def activity_match_manual(
    *, record: models.Model, salesforce_object: str, salesforce_id: str, user
) -> models.Model:
    """Match the unresolved `record` (a Link, Visit or Activity) to the Salesforce record
    `salesforce_id` of `salesforce_object`; return it saved. Raises ManualMatchError when the
    match cannot be made, the client's SalesforceError when Salesforce cannot be asked."""
    allowed = match_objects(record)
    if salesforce_object not in allowed:
        raise ManualMatchError(f"{record} can be matched to: {', '.join(allowed)}.")
    if not SALESFORCE_ID.fullmatch(salesforce_id):
        raise ManualMatchError(f"{salesforce_id[:40]!r} is not a Salesforce id.")
    _require_unresolved(record)
    salesforce_id = _read_back(salesforce_object, salesforce_id)
    # Under the activities lease: a push holding this record in memory would otherwise
    # write its old (unmatched) state back over the match.
    try:
        with lease_held(name=ACTIVITIES, wait_seconds=MATCH_WAIT_SECONDS):
            return _match(record, salesforce_object, salesforce_id, user=user)
    except LeaseBusyError as error:
        raise ManualMatchError(
            "Activities are being written to Salesforce right now; try again in a minute."
        ) from error


def _match(record, salesforce_object: str, salesforce_id: str, *, user) -> models.Model:
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        _require_unresolved(record)
        changes = _link(record, salesforce_object, salesforce_id)
        _record_event(record, salesforce_object, salesforce_id, changes=changes, user=user)
        model, pks = type(record), [record.pk]
        transaction.on_commit(lambda: activity_records_changed.send(sender=model, pks=pks))
    return record


def _require_unresolved(record: models.Model) -> None:
    if record.unresolved_since is None:
        raise NoLongerUnresolvedError(f"{record} is no longer unresolved: nothing to match.")


def _read_back(salesforce_object: str, salesforce_id: str) -> str:
    """The record's 18-character id, read from Salesforce; ManualMatchError when it is not
    a live record of that object (or is a converted Lead)."""
    where = format_soql("Id = {}", salesforce_id)
    if salesforce_object == MappedObject.LEAD:
        where += " AND IsConverted = false"
    statement = select(salesforce_object, ["Id"], where=where, limit=1)
    rows = list(salesforce_client().query(statement))
    if not rows:
        raise ManualMatchError(f"{salesforce_id} is not {NAMED[salesforce_object]} in Salesforce.")
    return rows[0]["Id"]


def _link(record: models.Model, salesforce_object: str, salesforce_id: str) -> list[dict]:
    """Point the record at the chosen Salesforce record and save it; the changed fields."""
    is_person = salesforce_object in PEOPLE
    wanted = {
        "salesforce_who_id": salesforce_id if is_person else "",
        "salesforce_what_id": "" if is_person else salesforce_id,
    }
    changes = [
        {"field": field, "old": getattr(record, field), "new": value}
        for field, value in wanted.items()
        if getattr(record, field) != value
    ]
    for field, value in wanted.items():
        setattr(record, field, value)
    record.matched_by = MatchMethod.MANUAL
    record.unresolved_since = None
    record.local_modified_at = timezone.now()
    record.save(update_fields=[*wanted, "matched_by", "unresolved_since", "local_modified_at",
                               "updated_at"])  # fmt: skip
    return changes


def _record_event(record, salesforce_object, salesforce_id, *, changes, user) -> None:
    who = user.email or user.get_username()
    recorder = Recorder(run=None)
    recorder.event(
        record,
        direction=Direction.OUTBOUND,
        operation=Operation.MATCH,
        salesforce_object=salesforce_object,
        salesforce_id=salesforce_id,
        changes=changes,
        message=f"Matched by {who} to {salesforce_object} {salesforce_id}",
    )
    recorder.flush()
