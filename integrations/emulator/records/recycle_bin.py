"""The recycle bin: soft deletion with Salesforce's cascades, undelete, hard delete, purge.

Deleting a record marks it IsDeleted (queryAll and getDeleted still see it) together with the
children Salesforce deletes with it (an account's contacts and opportunities, a record's tasks
and notes, ...); undeleting the parent brings the whole group back. getDeleted reaches back 15 days.
`RecycleBin` is a part of `Store` and works on its tables under its lock.
"""

from dataclasses import dataclass
from datetime import datetime

from ..errors import ApiError
from .write_rules import read_only_object

RECYCLE_BIN_DAYS = 15
# Children deleted (and undeleted) with their parent, as Salesforce cascades them.
CASCADE_FIELDS = {
    "Contact": ("AccountId",),
    "Opportunity": ("AccountId",),
    "OpportunityContactRole": ("OpportunityId", "ContactId"),
    "Task": ("WhoId", "WhatId"),
    "Note": ("ParentId",),
    "ContentDocumentLink": ("ContentDocumentId", "LinkedEntityId"),
}


@dataclass(frozen=True)
class DeletedEntry:
    object_name: str
    record_id: str
    deleted_at: datetime
    root_id: str  # the record whose deletion cascaded to this one


class RecycleBin:
    """Deletion for `Store` (which provides the tables, the lock, `_put` and `_remove`)."""

    def delete(
        self, obj: str, record_id: str, user_id: str | None = None, *, master_record_id=None
    ) -> None:
        """Move the record, and the children Salesforce cascades to, to the recycle bin;
        `master_record_id`: the record lost a merge to that one (see `merges.py`)."""
        with self.lock:
            sobject = self.object_type(obj)
            record = self.existing(sobject, record_id)
            if not sobject.deletable:
                raise read_only_object(sobject)
            stamp = self.now()
            user_id = user_id or self.default_user_id
            for child in self._cascade(record["Id"]):
                self._mark_deleted(child, stamp, record["Id"], user_id)
            self._mark_deleted(record, stamp, record["Id"], user_id, master_record_id)

    def undelete(self, obj: str, record_id: str, user_id: str | None = None) -> None:
        """Restore a record from the recycle bin with the children deleted along with it."""
        with self.lock:
            record = self.existing(self.object_type(obj), record_id, deleted_ok=True)
            if not record.get("IsDeleted"):
                raise ApiError("UNDELETE_FAILED", "Entity is not in the recycle bin")
            root_id = record["Id"]
            group = {e.record_id for e in self._deleted_log.values() if e.root_id == root_id}
            stamp = self.now()
            for restored_id in sorted(group | {root_id}):
                restored = self.record(restored_id)
                if restored is not None and restored["IsDeleted"]:
                    self._restore_deleted(restored, stamp, user_id or self.default_user_id)

    def hard_delete(self, obj: str, record_id: str) -> None:
        """Delete without the recycle bin (Bulk API hardDelete); getDeleted still lists it."""
        with self.lock:
            record = self.existing(self.object_type(obj), record_id, deleted_ok=True)
            if not record.get("IsDeleted"):
                self.delete(obj, record_id)
            doomed = [e.record_id for e in self._deleted_log.values() if e.root_id == record["Id"]]
            for doomed_id in {record["Id"], *doomed}:
                self._remove(self.record(doomed_id))

    def purge_recycle_bin(self) -> None:
        """Empty the recycle bin: its records are gone, also from getDeleted."""
        with self.lock:
            for entry in list(self._deleted_log.values()):
                self._remove(self.record(entry.record_id))
                self._unlog(entry)
            self.earliest_deleted_available = self.now()

    def children_of(self, record_id: str) -> list[dict]:
        """Records whose cascading lookups (AccountId, WhoId, ParentId, ...) point here."""
        with self.lock:
            return [self.record(child_id) for child_id in self._children.get(record_id, ())]

    def deleted_entries(self) -> list[DeletedEntry]:
        with self.lock:
            return list(self._deleted_log.values())

    def _cascade(self, parent_id: str) -> list[dict]:
        """Live descendants deleted along with `parent_id` (contacts of an account, ...)."""
        found, pending = {}, [parent_id]
        while pending:
            for child_id in self._children.get(pending.pop(), ()):
                child = self.record(child_id)
                if child_id not in found and child and not child["IsDeleted"]:
                    found[child_id] = child
                    pending.append(child_id)
        return list(found.values())

    def _mark_deleted(
        self, record: dict, stamp: datetime, root_id: str, user_id: str, master_id=None
    ) -> None:
        sobject = self.schema.for_id(record["Id"])
        deleted = {**record, "IsDeleted": True, "SystemModstamp": stamp,
                   "LastModifiedDate": stamp, "LastModifiedById": user_id}  # fmt: skip
        if master_id:
            deleted["MasterRecordId"] = master_id
        deleted = {name: value for name, value in deleted.items() if name in sobject.fields}
        self._put(sobject, deleted, record)
        self._log(DeletedEntry(sobject.name, record["Id"], stamp, root_id))

    def _restore_deleted(self, record: dict, stamp: datetime, user_id: str) -> None:
        sobject = self.schema.for_id(record["Id"])
        restored = {**record, "IsDeleted": False, "SystemModstamp": stamp,
                    "LastModifiedDate": stamp, "LastModifiedById": user_id,
                   "MasterRecordId": None}  # fmt: skip
        # MasterRecordId names a merge's master only while the loser is deleted: an
        # undeleted record has none, as in Salesforce.
        restored = {name: value for name, value in restored.items() if name in sobject.fields}
        self._put(sobject, restored, record)
        if record["Id"] in self._deleted_log:
            self._unlog(self._deleted_log[record["Id"]])

    def _log(self, entry: DeletedEntry) -> None:
        previous = self._deleted_log.get(entry.record_id)
        self._deleted_log[entry.record_id] = entry
        if self._undo is not None:
            self._undo.append(lambda: self._relog(entry.record_id, previous))

    def _unlog(self, entry: DeletedEntry) -> None:
        self._deleted_log.pop(entry.record_id, None)
        if self._undo is not None:
            self._undo.append(lambda: self._relog(entry.record_id, entry))

    def _relog(self, record_id: str, entry: DeletedEntry | None) -> None:
        if entry is None:
            self._deleted_log.pop(record_id, None)
        else:
            self._deleted_log[record_id] = entry
