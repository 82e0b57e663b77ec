"""Writing tracked records as Salesforce Tasks, batch by batch, never one call per record.

For one batch of a kind (`TaskKind`: visits, links, write-back activities):
1. `reconcile`: a create whose answer was lost (`salesforce_attempted_at` set, no id) is
   looked for first, by its reference in the Task external-id field, or (orgs without it) in
   the Description of the Tasks the integration user created since the attempt;
2. match what has no Contact, Lead or Account yet (`matching.Matcher`); the kind decides what
   an unmatched record does (waits, unresolved; or, for visits, a new Lead or an open Task);
3. build each Task's values, and send only what changed since the last write;
4. write: creates as upserts on the external id when the org has it (a retry updates the
   same Task), otherwise inserts marked as attempted (and committed) before they are sent;
   updates by Id; 200 a collection, Bulk API 2.0 above the threshold; a Task refused for
   its owner is sent again with the fallback owner (`owner_fallback`);
5. record each outcome on its record and in its history, with how it was matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.utils import timezone

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.salesforce import soql
from integrations.salesforce.results import RecordError, RecordResult
from integrations.sync.activities.external_ids import (
    REFERENCE_LABEL,
    reference,
    task_external_id_field,
    with_reference,
    without_reference,
)
from integrations.sync.activities.kinds import TaskKind
from integrations.sync.activities.matching import Match, Matcher
from integrations.sync.activities.messages import NO_OWNER, matched_message, waiting_message
from integrations.sync.cycle import Cycle
from integrations.sync.owner_fallback import owner_fallback_save, owner_sent
from integrations.sync.owners import Owners
from tracking.choices import MatchMethod

TASK = "Task"
STILL_WAITING = "Still waiting for a Contact, Lead or Account to go on."
# Set when a Task is created, never after (Salesforce refuses them on update).
CREATE_ONLY = frozenset({"TaskSubtype"})
RECORD_FIELDS = [
    "salesforce_id", "salesforce_synced_at", "sync_values", "salesforce_who_id",
    "salesforce_what_id", "matched_by", "unresolved_since", "salesforce_attempted_at",
    "salesforce_failed_at", "deleted_in_salesforce",
]  # fmt: skip


@dataclass
class Planned:
    """One record's write: its Task values, and what the history says about it."""

    record: object
    values: dict
    notes: list[str] = field(default_factory=list)


class TaskWriter:
    """Writes batches of one kind's records as Tasks within one cycle."""

    sobject = TASK  # what its history events name (a note writer's: ContentNote)

    def __init__(self, cycle: Cycle, kind: TaskKind):
        self.cycle, self.kind = cycle, kind
        self.client, self.recorder = cycle.client, cycle.recorder
        self.external_id = cycle.shared_one("task_external_id", task_external_id_field)
        self.matcher = cycle.shared_one("matcher", partial(Matcher, store=cycle.store))
        self.owners = cycle.shared_one("owners", Owners)
        self.now = timezone.now()

    # -- the batch ------------------------------------------------------------------------

    def write(self, records: Sequence, *, loaded_at) -> None:
        """Write one batch; `loaded_at` is from before the batch was read, so a change
        committed while it is written stays newer than its sync."""
        self.now = loaded_at
        records = list(records)
        self.reconcile(records)
        ready = self.match(records)
        # Owners only for new Tasks: a Task's owner may be changed in Salesforce, and stays.
        self.owners.load(self.kind.owner_email(r) for r in ready if not r.salesforce_id)
        self.kind.prepare(ready)
        planned = [self.plan(record) for record in ready]
        creates = [item for item in planned if not item.record.salesforce_id]
        updates = [item for item in planned if item.record.salesforce_id and item.values]
        for item in planned:
            if item.record.salesforce_id and not item.values:
                item.record.salesforce_synced_at = self.now  # nothing changed for Salesforce
        self._create(creates)
        self._update(updates)
        self.cycle.store.update(self.kind.model, records, RECORD_FIELDS)
        self.recorder.flush()

    # -- 1. reconcile ---------------------------------------------------------------------

    def reconcile(self, records: list) -> None:
        """Link the Tasks that creates with a lost answer made, so they are not made twice."""
        unsure = [r for r in records if r.salesforce_attempted_at and not r.salesforce_id]
        if not unsure:
            return
        by_reference = {reference(record): record for record in unsure}
        for reference_key, task_id in self._tasks_of(unsure, by_reference).items():
            record = by_reference[reference_key]
            record.salesforce_id = task_id
            self.recorder.event(
                record, direction=Direction.OUTBOUND, operation=Operation.MATCH,
                salesforce_object=TASK, salesforce_id=task_id,
                message="Found the Task an interrupted run had created; it is updated, "
                "not created again.",
            )  # fmt: skip
        for record in unsure:
            record.salesforce_attempted_at = None

    def _tasks_of(self, unsure: list, by_reference: dict) -> dict[str, str]:
        if self.external_id:
            rows = self.client.query_in(
                TASK, ["Id", self.external_id], field=self.external_id, values=list(by_reference)
            )
            return {row[self.external_id]: row["Id"] for row in rows}
        since = min(record.salesforce_attempted_at for record in unsure)
        skew = timedelta(seconds=conf.get("SYNC_CLOCK_SKEW_SECONDS"))
        statement = soql.format_soql(
            "SELECT Id, Description FROM Task WHERE CreatedById = {} AND CreatedDate >= {}",
            self.client.user_id, since - skew,
        )  # fmt: skip
        found = {}
        for row in self.client.query(statement):
            for line in (row.get("Description") or "").splitlines():
                if line.startswith(REFERENCE_LABEL):
                    key = line.removeprefix(REFERENCE_LABEL).strip()
                    if key in by_reference:
                        found.setdefault(key, row["Id"])
        return found

    # -- 2. match -------------------------------------------------------------------------

    def match(self, records: list) -> list:
        """The records that have somewhere to go; the rest go to `TaskKind.unmatched`."""
        open_ = [r for r in records if not (r.salesforce_who_id or r.salesforce_what_id)]
        open_ = [r for r in open_ if not (r.salesforce_id and r.matched_by)]
        if not open_:
            return records
        matches = self.matcher.match_all([self.kind.wanted(record) for record in open_])
        unmatched = []
        for record, found in zip(open_, matches, strict=True):
            if found is None:
                unmatched.append(record)
            else:
                self.matched(record, found)
        placed = set(map(id, self.kind.unmatched(self, unmatched)))
        waiting = {id(record) for record in unmatched} - placed
        return [record for record in records if id(record) not in waiting]

    def matched(self, record, found: Match) -> None:
        record.salesforce_who_id, record.salesforce_what_id = found.who_id, found.what_id
        record.matched_by, record.unresolved_since = found.method, None

    def wait_unresolved(self, records: list) -> None:
        """Nothing matches: the record waits in the unresolved report; the history says so
        once, when it starts waiting."""
        for record in records:
            if record.unresolved_since is None:
                record.unresolved_since = self.now
                wanted = self.kind.wanted(record)
                self.recorder.event(
                    record, direction=Direction.OUTBOUND, operation=Operation.SKIP,
                    salesforce_object=self.sobject, message=waiting_message(wanted),
                )  # fmt: skip
            else:
                self.recorder.count(self.sobject, Operation.SKIP, reason=STILL_WAITING,
                                    direction=Direction.OUTBOUND)  # fmt: skip

    # -- 3. plan --------------------------------------------------------------------------

    def plan(self, record) -> Planned:
        values = self.kind.task_values(record, self.cycle)
        if record.salesforce_who_id:
            values["WhoId"] = record.salesforce_who_id
        if record.salesforce_what_id:
            values["WhatId"] = record.salesforce_what_id
        planned = Planned(record, values)
        if not record.salesforce_id:
            email = self.kind.owner_email(record)
            owner = self.owners.user_id(email)
            if owner:
                values["OwnerId"] = owner
            elif email:
                planned.notes.append(NO_OWNER.format(email=email))
            if self.external_id:
                values[self.external_id] = reference(record)
            else:
                values["Description"] = with_reference(values.get("Description"), record)
            return planned
        last = record.sync_values or {}
        planned.values = {
            name: value
            for name, value in values.items()
            if name not in CREATE_ONLY and name != "Description" and last.get(name) != value
        }
        description, sent = values.get("Description"), last.get("Description")
        if description is not None and without_reference(sent) != (description or ""):
            # Without the external id the reference line is how a Task is found again.
            keeps_reference = not self.external_id or REFERENCE_LABEL in (sent or "")
            planned.values["Description"] = (
                with_reference(description, record) if keeps_reference else description
            )
        return planned

    # -- 4. write -------------------------------------------------------------------------

    def _create(self, planned: list[Planned]) -> None:
        if not planned:
            return
        for item in planned:
            item.record.salesforce_attempted_at = self.now
        # Committed before the call: a crash after Salesforce's answer is reconciled next run.
        self.cycle.store.update(
            self.kind.model, [item.record for item in planned], ["salesforce_attempted_at"]
        )
        rows = [item.values for item in planned]
        if self.external_id:
            self._save(planned, "upsert", rows, external_id_field=self.external_id)
        else:
            self._save(planned, "insert", rows)

    def _update(self, planned: list[Planned]) -> None:
        if not planned:
            return
        rows = [{"Id": item.record.salesforce_id, **item.values} for item in planned]
        self._save(planned, "update", rows)

    def _save(self, planned: list[Planned], operation: str, rows: list[dict], **options) -> None:
        """Write the rows; those refused for their owner go again with the fallback owner,
        whom their values (and so their `sync_values`) then name."""
        results, notes = owner_fallback_save(self.cycle, operation, TASK, rows, **options)
        for item, row in zip(planned, rows, strict=True):
            owner_sent(item.values, row)
        for index, note in notes.items():
            planned[index].notes.append(note)
        kind = Operation.UPDATE if operation == "update" else Operation.CREATE
        self._outcomes(planned, results, kind)

    # -- 5. record ------------------------------------------------------------------------

    def _outcomes(self, planned: list[Planned], results: list[RecordResult], operation) -> None:
        for item, result in zip(planned, results, strict=True):
            record = item.record
            record.salesforce_attempted_at = None
            if not result.success:
                error = result.errors[0] if result.errors else RecordError("UNKNOWN", "")
                if operation == Operation.UPDATE and error.code == "ENTITY_IS_DELETED":
                    self._deleted(record)
                    continue
                if _match_gone(error):
                    self._rematch(record)
                record.salesforce_failed_at = self.now
                self.recorder.event(
                    record, direction=Direction.OUTBOUND, operation=operation,
                    salesforce_object=TASK, salesforce_id=record.salesforce_id, error=error,
                )  # fmt: skip
                continue
            last = dict(record.sync_values or {})
            record.salesforce_id = record.salesforce_id or result.id
            record.sync_values = {**last, **item.values}
            record.salesforce_synced_at, record.salesforce_failed_at = self.now, None
            self.recorder.event(
                record, direction=Direction.OUTBOUND, operation=operation,
                salesforce_object=TASK, salesforce_id=record.salesforce_id,
                changes=[{"field": name, "salesforce_field": name, "old": last.get(name),
                          "new": value} for name, value in item.values.items()],
                message=" ".join([matched_message(record), *item.notes]),
            )  # fmt: skip

    def _rematch(self, record) -> None:
        """The matched Contact, Lead or Account is gone (deleted, merged, converted): match
        again next time; a match made by hand waits for a new one."""
        manual = record.matched_by == MatchMethod.MANUAL
        record.salesforce_who_id = record.salesforce_what_id = record.matched_by = ""
        if manual:
            record.unresolved_since = self.now

    def _deleted(self, record) -> None:
        """Someone deleted the Task in Salesforce: respect it, and stop writing this record."""
        record.deleted_in_salesforce = True
        self.recorder.event(
            record, direction=Direction.OUTBOUND, operation=Operation.DELETE,
            salesforce_object=TASK, salesforce_id=record.salesforce_id,
            message="Its Task was deleted in Salesforce; it is no longer written there.",
        )  # fmt: skip


def _match_gone(error: RecordError) -> bool:
    """Salesforce refused the Task because the record it goes on no longer exists."""
    gone = error.code in ("INVALID_CROSS_REFERENCE_KEY", "ENTITY_IS_DELETED")
    return gone and bool({"WhoId", "WhatId"} & set(error.fields))
