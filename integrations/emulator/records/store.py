"""The org's data: records per object, lookup indexes, the recycle bin and the audit clock.

One re-entrant lock (`store.lock`) guards everything. Records are plain dicts keyed by
canonical field names and are never changed in place: a write stores a new dict, so a query's
result list stays a consistent snapshot while later pages are served. Every write stamps
SystemModstamp from a clock that never repeats a millisecond.

Writes validate like Salesforce (see `validation.py`); `atomic()` lets a collections call or a
bulk chunk roll back everything it wrote. Listeners in `store.change_listeners` hear of every
committed insert and update as `(object name, previous record or None, new record)`: at once
outside `atomic()`, when the outermost block ends inside it, never for rolled-back writes.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from ..errors import ApiError
from ..soql.engine import CompiledQuery, compile_query
from . import leads, merges, org
from .catalog import build_schema
from .content import check_query_restrictions
from .ids import make_id, normalize_id
from .recycle_bin import CASCADE_FIELDS, RECYCLE_BIN_DAYS, DeletedEntry, RecycleBin
from .schema import SObjectType
from .validation import prepare_changes
from .write_rules import complete_record, read_only_object, without_key_field

FIRST_RECORD_SERIAL = 1000


class MultipleMatchesError(ApiError):
    """An upsert key matching several records (HTTP 300 on the single-record endpoint)."""

    def __init__(self, field: str, value: str, ids: list[str]):
        super().__init__(
            "DUPLICATE_EXTERNAL_ID",
            f"{field}: more than one record found for external id field: {ids}",
            status=300,
        )
        self.ids = ids


class SoqlCatalog:
    """The `fields_of` callable the SOQL engine resolves names with."""

    def __init__(self, schema):
        self._schema = schema
        self._cache: dict[str, dict] = {}

    def __call__(self, name: str) -> dict[str, dict] | None:
        sobject = self._schema.get(name)
        if sobject is None:
            return None
        if sobject.name not in self._cache:
            self._cache[sobject.name] = {n: f.soql_info() for n, f in sobject.fields.items()}
        return self._cache[sobject.name]

    def canonical_name(self, name: str) -> str | None:
        sobject = self._schema.get(name)
        return sobject.name if sobject else None


class Store(RecycleBin):
    """All records of the emulated org. Public methods are thread-safe."""

    def __init__(self, *, state_country_picklists: bool = False, task_external_id: bool = True):
        self.lock = threading.RLock()
        self.state_country_picklists = state_country_picklists
        self.task_external_id = task_external_id
        self.schema = build_schema(
            state_country_picklists=state_country_picklists, task_external_id=task_external_id
        )
        self.catalog = SoqlCatalog(self.schema)
        self.org_id = org.ORG_ID
        self.integration_user_id = org.INTEGRATION_USER_ID
        self.default_user_id = org.SALES_REP_IDS[0]
        self._serial = FIRST_RECORD_SERIAL
        self._last_stamp = datetime.min.replace(tzinfo=UTC)
        self._undo: list | None = None
        self._changes: list[tuple[str, dict | None, dict]] = []
        self.change_listeners: list = []
        self.reset()

    # -- lifecycle ------------------------------------------------------------------------

    def reset(self) -> None:
        """Wipe every record, leaving the organization, its users and opportunity stages."""
        with self.lock:
            self._tables = {name: {} for name in self.schema.objects}
            self._indexes = {
                name: {field: {} for field in sobject.lookup_fields}
                for name, sobject in self.schema.objects.items()
            }
            self._children: dict[str, set[str]] = {}
            self._deleted_log: dict[str, DeletedEntry] = {}
            self.earliest_deleted_available = self.now() - timedelta(days=RECYCLE_BIN_DAYS)
            org.install(self)

    def set_state_country_picklists(self, enabled: bool) -> None:
        """Switch the org's state/country picklists (as in Setup), wiping the records."""
        with self.lock:
            self.state_country_picklists = enabled
            self.schema = build_schema(
                state_country_picklists=enabled, task_external_id=self.task_external_id
            )
            self.catalog = SoqlCatalog(self.schema)
            self.reset()

    def now(self) -> datetime:
        """The current time at millisecond precision, never earlier than an earlier answer.

        Like Salesforce's SystemModstamp, several writes may share a value (one batch often
        does), and it never runs ahead of the real clock.
        """
        with self.lock:
            current = datetime.now(UTC)
            current = current.replace(microsecond=current.microsecond // 1000 * 1000)
            current = max(current, self._last_stamp)
            self._last_stamp = current
            return current

    @contextmanager
    def atomic(self) -> Iterator["Store"]:
        """Hold the lock; an exception, or `rollback()` inside, undoes the block's writes."""
        with self.lock:
            outer, self._undo = self._undo, []
            outer_changes, self._changes = self._changes, []
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            finally:
                self._undo = outer
                changes, self._changes = self._changes, outer_changes
            if outer is None:
                self._tell_listeners(changes)
            else:
                self._changes.extend(changes)

    def rollback(self) -> None:
        """Undo the writes of the current `atomic()` block."""
        with self.lock:
            while self._undo:
                self._undo.pop()()
            self._changes.clear()

    # -- reads ----------------------------------------------------------------------------

    def object_type(self, name: str) -> SObjectType:
        sobject = self.schema.get(name)
        if sobject is None:
            raise ApiError("NOT_FOUND", "The requested resource does not exist", status=404)
        return sobject

    def get(self, obj: str, record_id: str) -> dict | None:
        """A copy of the record, including one in the recycle bin (IsDeleted true)."""
        with self.lock:
            record = self._tables[self.object_type(obj).name].get(normalize_id(record_id) or "")
            return dict(record) if record else None

    def all(self, obj: str, *, include_deleted: bool = False) -> list[dict]:
        with self.lock:
            table = self._tables[self.object_type(obj).name]
            return [dict(r) for r in table.values() if include_deleted or not r.get("IsDeleted")]

    def count(self, obj: str) -> int:
        """How many records of `obj` are not deleted."""
        with self.lock:
            table = self._tables[self.object_type(obj).name]
            return sum(1 for record in table.values() if not record.get("IsDeleted"))

    def record(self, record_id: str) -> dict | None:
        """The stored record with this (18-character) id, of any object; not a copy."""
        sobject = self.schema.for_id(record_id)
        return self._tables[sobject.name].get(record_id) if sobject else None

    def existing(self, sobject: SObjectType, record_id: str, *, deleted_ok=False) -> dict:
        """The stored record, or Salesforce's error for a bad, missing or deleted id."""
        normalized = normalize_id(record_id)
        if normalized is None:
            raise ApiError("MALFORMED_ID", f"malformed id {record_id}", fields=["Id"])
        if normalized[:3] != sobject.key_prefix:
            raise ApiError(
                "MALFORMED_ID", f"{sobject.label} ID: id value of incorrect type: {record_id}",
                fields=["Id"],
            )  # fmt: skip
        record = self._tables[sobject.name].get(normalized)
        if record is None:
            raise ApiError("NOT_FOUND", "The requested resource does not exist", status=404)
        if record.get("IsDeleted") and not deleted_ok:
            raise ApiError("ENTITY_IS_DELETED", "entity is deleted", status=404)
        return record

    def find_live(self, sobject: SObjectType, field: str, value) -> list[dict]:
        """Live records whose `field` equals `value` (text compared case-insensitively)."""
        if field == "Id":
            record = self._tables[sobject.name].get(normalize_id(str(value)) or "")
            return [record] if record and not record["IsDeleted"] else []
        index = self._indexes[sobject.name].get(field)
        if index is not None:
            ids = index.get(str(value).lower(), ())
            records = (self._tables[sobject.name][record_id] for record_id in ids)
        else:
            records = (r for r in self._tables[sobject.name].values() if r.get(field) == value)
        return [record for record in records if not record.get("IsDeleted")]

    def get_parent(self, record: dict, relationship: str) -> dict | None:
        """The record a lookup points at, e.g. `Account` of a Contact (the SOQL engine's hook)."""
        sobject = self.schema.for_id(record["Id"])
        spec = sobject.relationship(relationship) if sobject else None
        parent_id = record.get(spec.name) if spec else None
        return self.record(parent_id) if parent_id else None

    def query(self, soql: str, *, include_deleted: bool) -> tuple[CompiledQuery, list[dict]]:
        """Compile and run a SOQL statement; raises SoqlError for a bad statement."""
        compiled = compile_query(soql, self.catalog)
        check_query_restrictions(compiled)
        with self.lock:
            candidates = self._candidates(compiled, include_deleted)
            return compiled, compiled.run(candidates, self.get_parent)

    def _candidates(self, compiled: CompiledQuery, include_deleted: bool) -> list[dict]:
        table = self._tables[compiled.object_name]
        hint = compiled.equality_hint()
        index = self._indexes[compiled.object_name].get(hint[0]) if hint else None
        if hint and hint[0] == "Id":
            records = [table[value] for value in hint[1] if value in table]
        elif index is not None:
            ids = set().union(*(index.get(value, ()) for value in hint[1]))
            records = [table[record_id] for record_id in ids]
        else:
            records = table.values()
        if include_deleted:
            return list(records)
        return [record for record in records if not record.get("IsDeleted")]

    # -- writes ---------------------------------------------------------------------------

    def insert(self, obj: str, fields: dict, user_id: str | None = None, *, system=False) -> str:
        """Create a record as `user_id` (default: a sales rep, not the integration user)."""
        with self.lock:
            sobject = self.object_type(obj)
            if not (sobject.createable or system):
                raise read_only_object(sobject)
            return self._insert(sobject, fields, user_id or self.default_user_id, system=system)

    def install(self, obj: str, record_id: str, fields: dict) -> None:
        """Create one of the org's built-in records (users, stages) with a fixed id."""
        with self.lock:
            self._insert(self.object_type(obj), fields, self.integration_user_id, system=True,
                         record_id=record_id)  # fmt: skip

    def _insert(self, sobject, fields, user_id, *, system, record_id=None) -> str:
        changes = prepare_changes(sobject, fields, schema=self.schema, creating=True, system=system)
        defaults = {name: spec.default for name, spec in sobject.fields.items()}
        if "OwnerId" in sobject.fields:
            defaults["OwnerId"] = user_id
        record = complete_record(self, sobject, changes, defaults)
        stamp = self.now()
        record.update(Id=record_id or self._new_id(sobject), CreatedDate=stamp,
                      CreatedById=user_id, LastModifiedDate=stamp, LastModifiedById=user_id,
                      SystemModstamp=stamp)  # fmt: skip
        if "IsDeleted" in sobject.fields:
            record["IsDeleted"] = False
        for spec in sobject.auto_number_fields:
            record[spec.name] = spec.auto_number.format(self._serial)
        # Objects without the full audit set (ContentDocumentLink) keep only their own fields.
        record = {name: value for name, value in record.items() if name in sobject.fields}
        self._put(sobject, record, None)
        self._changed(sobject, None, record)
        return record["Id"]

    def update(self, obj: str, record_id: str, fields: dict, user_id=None, *, system=False):
        with self.lock:
            sobject = self.object_type(obj)
            current = self.existing(sobject, record_id)
            if not (sobject.updateable or system):
                raise read_only_object(sobject)
            if current.get("IsConverted") and not system:
                raise ApiError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
            changes = prepare_changes(
                sobject, fields, schema=self.schema, creating=False, system=system
            )
            record = complete_record(self, sobject, changes, current)
            stamp = self.now()
            record.update(LastModifiedDate=stamp, SystemModstamp=stamp,
                          LastModifiedById=user_id or self.default_user_id)  # fmt: skip
            record = {name: value for name, value in record.items() if name in sobject.fields}
            self._put(sobject, record, current)
            self._changed(sobject, current, record)

    def upsert(self, obj: str, field: str, value: str, fields: dict, user_id=None):
        """Update the one live record whose `field` equals `value`, or create it.

        Returns (id, created). Raises MultipleMatchesError when several records match."""
        with self.lock:
            sobject = self.object_type(obj)
            spec = sobject.field(field)
            if spec is None or not spec.id_lookup:
                raise ApiError(
                    "NOT_FOUND",
                    f"Provided external ID field does not exist or is not accessible: {field}",
                    status=404,
                )
            fields = without_key_field(fields, spec.name, value)
            matches = self.find_live(sobject, spec.name, value)
            if len(matches) > 1:
                raise MultipleMatchesError(spec.name, value, [r["Id"] for r in matches])
            if matches:
                self.update(sobject.name, matches[0]["Id"], fields, user_id)
                return matches[0]["Id"], False
            if spec.name == "Id":
                raise ApiError("NOT_FOUND", "The requested resource does not exist", status=404)
            return self.insert(sobject.name, {**fields, spec.name: value}, user_id), True

    def convert_lead(self, lead_id: str, **options) -> dict:
        """Convert a lead as a user would in Salesforce; see `leads.convert_lead`."""
        with self.lock:
            return leads.convert_lead(self, lead_id, **options)

    def merge(self, obj: str, master_id: str, victim_ids: list[str], **options) -> dict:
        """Merge records as Salesforce's merge() does; see `merges.merge_records`."""
        with self.lock:
            return merges.merge_records(self, obj, master_id, victim_ids, **options)

    def modified_between(self, obj: str, start: datetime, end: datetime) -> list[str]:
        """Ids of live records whose SystemModstamp lies in [start, end]."""
        with self.lock:
            return [
                record["Id"]
                for record in self._tables[self.object_type(obj).name].values()
                if start <= record["SystemModstamp"] <= end and not record["IsDeleted"]
            ]

    def export_state(self) -> dict:
        """Everything needed to rebuild the data (see `persistence.py`)."""
        with self.lock:
            return {
                "serial": self._serial,
                "last_stamp": self._last_stamp,
                "records": {name: list(table.values()) for name, table in self._tables.items()},
                "deleted": [entry.__dict__ for entry in self._deleted_log.values()],
                "earliest_deleted_available": self.earliest_deleted_available,
            }

    def import_state(self, state: dict) -> None:
        with self.lock:
            self.reset()
            for table in self._tables.values():
                table.clear()
            self._indexes = {name: {f: {} for f in index} for name, index in self._indexes.items()}
            self._children.clear()
            for name, records in state["records"].items():
                sobject = self.schema.objects[name]
                for saved in records:
                    # The state/country setting may differ from the run that saved the state.
                    record = {field: saved.get(field) for field in sobject.fields}
                    self._swap(sobject, record["Id"], None, record)
            self._deleted_log = {e["record_id"]: DeletedEntry(**e) for e in state["deleted"]}
            self._serial = state["serial"]
            self._last_stamp = max(self._last_stamp, state["last_stamp"])
            self.earliest_deleted_available = state["earliest_deleted_available"]

    # -- internals ------------------------------------------------------------------------

    def _new_id(self, sobject: SObjectType) -> str:
        self._serial += 1
        return make_id(sobject.key_prefix, self._serial)

    def _put(self, sobject: SObjectType, record: dict, previous: dict | None) -> None:
        self._swap(sobject, record["Id"], previous, record)
        if self._undo is not None:
            self._undo.append(lambda: self._swap(sobject, record["Id"], record, previous))

    def _changed(self, sobject: SObjectType, old: dict | None, new: dict) -> None:
        if self._undo is None:
            self._tell_listeners([(sobject.name, old, new)])
        else:
            self._changes.append((sobject.name, old, new))

    def _tell_listeners(self, changes: list[tuple[str, dict | None, dict]]) -> None:
        for listener in self.change_listeners:
            for name, old, new in changes:
                listener(name, old, new)

    def _remove(self, record: dict | None) -> None:
        if record is None:
            return
        sobject = self.schema.for_id(record["Id"])
        self._swap(sobject, record["Id"], record, None)
        if self._undo is not None:
            self._undo.append(lambda: self._swap(sobject, record["Id"], None, record))

    def _swap(self, sobject: SObjectType, record_id: str, old: dict | None, new: dict | None):
        """Replace the stored version `old` of a record by `new` (None: absent), with indexes."""
        if new is None:
            del self._tables[sobject.name][record_id]
        else:
            self._tables[sobject.name][record_id] = new
        self._reindex(sobject, old, new)

    def _reindex(self, sobject: SObjectType, old: dict | None, new: dict | None) -> None:
        for field, index in self._indexes[sobject.name].items():
            old_key, new_key = _index_key(old, field), _index_key(new, field)
            if old_key != new_key:
                if old_key is not None:
                    index[old_key].discard(old["Id"])
                if new_key is not None:
                    index.setdefault(new_key, set()).add(new["Id"])
        for field in CASCADE_FIELDS.get(sobject.name, ()):
            old_parent, new_parent = (old or {}).get(field), (new or {}).get(field)
            if old_parent != new_parent:
                if old_parent:
                    self._children[old_parent].discard(old["Id"])
                if new_parent:
                    self._children.setdefault(new_parent, set()).add(new["Id"])


def _index_key(record: dict | None, field: str) -> str | None:
    value = record.get(field) if record else None
    return str(value).lower() if value is not None else None
