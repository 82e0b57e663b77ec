"""Writing notes as Salesforce enhanced notes: a ContentNote (Title, base64 Content) shared
with the Contact, Lead or Account by a ContentDocumentLink.

Two writes per note, each safe to repeat: the note is marked as attempted (and committed)
before it is created, and a note whose answer was lost is looked for by its title among the
notes the integration user created since; the link is made only when the note's existing
links (queried per batch) do not have it yet. Matching and the unresolved wait are the
Task writer's.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from integrations import conf
from integrations.choices import Direction, Operation
from integrations.salesforce import soql
from integrations.salesforce.results import RecordError
from integrations.sync.activities.external_ids import reference
from integrations.sync.activities.messages import matched_message
from integrations.sync.activities.note_content import note_content, note_link_values, note_title
from integrations.sync.activities.writer import RECORD_FIELDS, TaskWriter
from tracking.models import Activity

NOTE, LINK = "ContentNote", "ContentDocumentLink"
LINKED = "LinkedEntityId"  # in sync_values: the record the note is shared with
HASH = "ContentHash"  # in sync_values: what Content was last written (not the whole body)


class NoteWriter(TaskWriter):
    """The Task writer's steps for notes: a ContentNote and its link instead of a Task."""

    sobject = NOTE

    def write(self, records, *, loaded_at) -> None:
        self.now = loaded_at
        records = list(records)
        self.reconcile(records)
        ready = self.match(records)
        new = [record for record in ready if not record.salesforce_id]
        self._create_notes(new)
        self._update_notes([r for r in ready if r.salesforce_id and r not in new])
        self._link([record for record in ready if record.salesforce_id])
        self.cycle.store.update(Activity, records, RECORD_FIELDS)
        self.recorder.flush()

    # -- reconcile: notes created by a run whose answer was lost ---------------------------

    def _tasks_of(self, unsure: list, by_reference: dict) -> dict[str, str]:
        """The notes of these unsure records, by reference: found by title among the notes
        the integration user created since the first attempt, each note taken once."""
        since = min(record.salesforce_attempted_at for record in unsure)
        skew = timedelta(seconds=conf.get("SYNC_CLOCK_SKEW_SECONDS"))
        titles = sorted({_title(record) for record in unsure})
        statement = soql.format_soql(
            "SELECT Id, Title, CreatedDate FROM ContentNote WHERE CreatedById = {} "
            "AND CreatedDate >= {} AND Title IN {} ORDER BY CreatedDate, Id",
            self.client.user_id, since - skew, titles,
        )  # fmt: skip
        rows = list(self.client.query(statement))
        taken = set(
            Activity.objects.filter(salesforce_id__in=[row["Id"] for row in rows]).values_list(
                "salesforce_id", flat=True
            )
        )
        found = {}
        for record in sorted(unsure, key=lambda record: record.pk):
            for row in rows:
                if row["Id"] not in taken and row["Title"] == _title(record):
                    found[reference(record)] = row["Id"]
                    taken.add(row["Id"])
                    break
        return found

    # -- the note ---------------------------------------------------------------------------

    def _create_notes(self, records: list) -> None:
        if not records:
            return
        for record in records:
            record.salesforce_attempted_at = self.now
        self.cycle.store.update(Activity, records, ["salesforce_attempted_at"])
        rows = [_note_values(record) for record in records]
        for record, values, result in zip(
            records, rows, self.cycle.save("insert", NOTE, rows), strict=True
        ):
            record.salesforce_attempted_at = None
            if not self._failed(record, result, Operation.CREATE, NOTE):
                record.salesforce_id = result.id
                record.sync_values = _agreed(values)

    def _update_notes(self, records: list) -> None:
        changed = [
            (record, values)
            for record in records
            if _agreed(values := _note_values(record)) != _agreed_of(record)
        ]
        if not changed:
            return
        rows = [{"Id": record.salesforce_id, **values} for record, values in changed]
        for (record, values), result in zip(
            changed, self.cycle.save("update", NOTE, rows), strict=True
        ):
            if not self._failed(record, result, Operation.UPDATE, NOTE):
                record.sync_values = {**record.sync_values, **_agreed(values)}
                record.salesforce_synced_at = self.now
                self._done(record, Operation.UPDATE, "The note was updated.")

    # -- the link to the record ---------------------------------------------------------------

    def _link(self, records: list) -> None:
        unlinked = [r for r in records if (r.sync_values or {}).get(LINKED) != _target(r)]
        if not unlinked:
            return
        existing = {
            (row["ContentDocumentId"], row[LINKED])
            for row in self.client.query_in(
                LINK, ["Id", "ContentDocumentId", LINKED], field="ContentDocumentId",
                values=[record.salesforce_id for record in unlinked],
            )
        }  # fmt: skip
        missing = [r for r in unlinked if (r.salesforce_id, _target(r)) not in existing]
        rows = [note_link_values(note_id=r.salesforce_id, record_id=_target(r)) for r in missing]
        results = self.cycle.save("insert", LINK, rows) if rows else []
        failed = set()
        for record, result in zip(missing, results, strict=True):
            if self._failed(record, result, Operation.CREATE, LINK):
                failed.add(id(record))
        for record in unlinked:
            if id(record) in failed:
                continue
            record.sync_values = {**(record.sync_values or {}), LINKED: _target(record)}
            record.salesforce_synced_at, record.salesforce_failed_at = self.now, None
            self._done(record, Operation.CREATE, "The note is in the record's Notes & Attachments.")

    # -- outcomes -------------------------------------------------------------------------------

    def _failed(self, record, result, operation, sobject: str) -> bool:
        if result.success:
            return False
        record.salesforce_failed_at = self.now
        error = result.errors[0] if result.errors else RecordError("UNKNOWN", "")
        self.recorder.event(
            record, direction=Direction.OUTBOUND, operation=operation, salesforce_object=sobject,
            salesforce_id=record.salesforce_id, error=error,
        )  # fmt: skip
        return True

    def _done(self, record, operation, message: str) -> None:
        matched = matched_message(record)
        author = self.kind.owner_email(record)
        owner = (
            f" Written for {author}; the note's owner is the integration user." if author else ""
        )
        self.recorder.event(
            record, direction=Direction.OUTBOUND, operation=operation, salesforce_object=NOTE,
            salesforce_id=record.salesforce_id, message=f"{matched} {message}{owner}".strip(),
            changes=[{"field": "Title", "salesforce_field": "Title", "old": None,
                      "new": record.sync_values.get("Title")}],
        )  # fmt: skip


def _title(record) -> str:
    return note_title(
        record.subject, f"Note about {record.contact_name or record.company or 'a contact'}"
    )


def _note_values(record) -> dict:
    return {"Title": _title(record), "Content": note_content(record.body)}


def _agreed(values: dict) -> dict:
    """What sync_values keeps of a note's values: its title and a hash of its content."""
    digest = hashlib.sha256(values["Content"].encode("ascii")).hexdigest()
    return {"Title": values["Title"], HASH: digest}


def _agreed_of(record) -> dict:
    last = record.sync_values or {}
    return {"Title": last.get("Title"), HASH: last.get(HASH)}


def _target(record) -> str:
    return record.salesforce_who_id or record.salesforce_what_id
