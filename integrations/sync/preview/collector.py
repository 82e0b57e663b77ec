"""What a preview cycle collects instead of writing, and the answers it gives for writes.

The handlers run unchanged; only the three write points differ: the cycle's `store` (local
writes: tallied per model, nothing written), its `save` (Salesforce writes: answered from
describe() by `rules.rejections`, with made-up ids for creates, nothing sent; the client is
read-only besides) and its recorder (events: become `SyncPreviewItem` rows per batch, with
counts per object and direction, skip reasons and a bounded sample per outcome; no
SyncEvent is written). Items go out with every batch's flush and only the samples (at most
`SAMPLE_SIZE` per object and outcome) stay; the store keeps what the pull changed and the
push linked (`PreviewStore`), so memory grows with those records, not with the unchanged ones.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from django.db.models import Model, QuerySet

from integrations.choices import Direction
from integrations.models import InclusionRule, PreviewOutcome, SyncPreview, SyncPreviewItem
from integrations.salesforce.client import SalesforceClient
from integrations.salesforce.results import RecordResult
from integrations.sync.recorder import COUNTED, Recorder
from integrations.sync.rules.rejections import foreseen_error
from integrations.sync.store import LocalStore
from tracking.choices import EventStatus
from tracking.models import Company, Contact

SAMPLE_SIZE = 20
# A run's counter name -> the preview's outcome ("errors": what Salesforce would refuse).
OUTCOMES = {
    name: PreviewOutcome.REJECTED if name == "errors" else name for name in COUNTED.values()
}
CREATING = frozenset({"insert", "upsert"})
# The records the store indexes, by their matching key (`linked_by_email`, `linked_by_name`).
KEY_FIELDS: dict[type[Model], str] = {Contact: "email_key", Company: "name_key"}
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_CHECKSUM = string.ascii_uppercase + "012345"


def nested() -> defaultdict:
    return defaultdict(lambda: defaultdict(int))


class Linked(NamedTuple):
    """What a push linked a record to, kept by its key instead of the row: all the
    activities' matching reads of it."""

    salesforce_id: str
    salesforce_object: str
    deleted_in_salesforce: bool = False


class PreviewStore(LocalStore):
    """Writes nothing; counts per model the rows a real cycle would write, and keeps what
    the rest of the cycle would read back from the database had they been written.

    Kept, per model, for the records the pull writes before that model's push begins: the
    row while the sync would still push it (changed on both sides, a local value won; its
    pk joins the push's query, `pending`), else only that it is settled (its pk), so a push
    batch sees them as the cycle left them (`current`). Writes of the push itself are not
    kept: its keyset pagination never reads a batch again.

    Indexed, so later batches, handlers and the activities' matching find them as they
    would in the database (`linked`, `linked_by_email`, `linked_by_name`): the contacts and
    companies the pull creates or updates with a Salesforce id (the rows), and those the
    push links (only the link, `Linked`, by email or name key; a made-up id for a create,
    `Preview.save`). This memory grows with the records the pull changes and the push
    links; unchanged records cost nothing."""

    def __init__(self) -> None:
        self.tally: defaultdict = nested()
        self._left: defaultdict[type, dict[int, Model | None]] = defaultdict(dict)
        self._pushing: set[type] = set()
        self._unlinked: set[tuple[type, int]] = set()  # the push batch's rows without a link
        self._by_id: defaultdict[type, dict[str, Model]] = defaultdict(dict)
        self._by_key: defaultdict[type, dict[str, Model | Linked]] = defaultdict(dict)

    def create(self, model: type[Model], rows: Sequence[Model], **options) -> None:
        """Rows created by an earlier batch already (found in the index) are updates."""
        again = [row for row in rows if self._indexed(row)]
        if len(rows) > len(again):
            self.tally[_label(model)][PreviewOutcome.CREATED] += len(rows) - len(again)
        if again:
            self.tally[_label(model)][PreviewOutcome.UPDATED] += len(again)
        for row in rows:
            self._index(row)

    def update(self, model: type[Model], rows: Sequence[Model], fields: Sequence[str]) -> None:
        if not rows:
            return
        self.tally[_label(model)][PreviewOutcome.UPDATED] += len(rows)
        if model in self._pushing:
            for row in rows:
                if (model, row.pk) in self._unlinked and row.salesforce_id and model in KEY_FIELDS:
                    link = Linked(row.salesforce_id, getattr(row, "salesforce_object", ""))
                    self._by_key[model][getattr(row, KEY_FIELDS[model])] = link
            return
        for row in rows:
            self._index(row)
        if _pushed(model):
            left = self._left[model]
            for row in rows:
                left[row.pk] = row if _unsynced(row) else None

    def delete(self, queryset: QuerySet) -> None:
        model = queryset.model
        keys = list(queryset.values_list("pk", flat=True))
        if keys:
            self.tally[_label(model)][PreviewOutcome.DELETED] += len(keys)
        if _pushed(model) and model not in self._pushing:
            self._left[model].update(dict.fromkeys(keys))

    def save(self, row: Model) -> None:
        self.tally[_label(type(row))][PreviewOutcome.UPDATED] += 1

    def current(self, rows: list[Model]) -> list[Model]:
        """The batch without the records this cycle settled or deleted, and with the ones
        it changed as it changed them."""
        current = []
        for row in rows:
            left = self._left[type(row)]
            if row.pk not in left:
                current.append(row)
            elif left[row.pk] is not None:
                current.append(left[row.pk])
        models = {type(row) for row in current}
        self._pushing |= models
        self._unlinked = {(type(row), row.pk) for row in current if not row.salesforce_id}
        return current

    def pending(self, model: type[Model]) -> list[int]:
        return [pk for pk, row in self._left[model].items() if row is not None]

    def linked(self, model: type[Model], salesforce_ids: Iterable[str]) -> dict[str, Model]:
        index = self._by_id[model]
        found = {key: index[key] for key in salesforce_ids if key in index}
        return {key: row for key, row in found.items() if row.salesforce_id == key}

    def linked_by_email(self, keys: Iterable[str]) -> dict[str, Model]:
        return self._by_keys(Contact, "email_key", keys)

    def linked_by_name(self, keys: Iterable[str]) -> dict[str, Model]:
        return self._by_keys(Company, "name_key", keys)

    def _by_keys(self, model: type[Model], field: str, keys: Iterable[str]) -> dict:
        index = self._by_key[model]
        found = {key: index[key] for key in keys if key in index}
        return {
            key: row
            for key, row in found.items()
            if isinstance(row, Linked) or getattr(row, field) == key
        }

    def _index(self, row: Model) -> None:
        model = type(row)
        field = KEY_FIELDS.get(model)
        if field is None or not row.salesforce_id:
            return
        self._by_id[model][row.salesforce_id] = row
        self._by_key[model][getattr(row, field)] = row

    def _indexed(self, row: Model) -> bool:
        model = type(row)
        field = KEY_FIELDS.get(model)
        if field is None:
            return False
        return (
            self._by_id[model].get(row.salesforce_id) is row
            or self._by_key[model].get(getattr(row, field)) is row
        )


class PreviewRecorder(Recorder):
    """A recorder whose events become the preview's items, samples and counts."""

    def __init__(self, report: SyncPreview):
        super().__init__(None)
        self.report = report
        self.items: list[SyncPreviewItem] = []
        self.directions: defaultdict = defaultdict(nested)
        self.reasons: defaultdict = nested()
        self.samples: defaultdict = defaultdict(lambda: defaultdict(list))

    def event(self, record: Model, **details: Any) -> None:
        super().event(record, **details)
        event = self.events[-1]
        key = event.salesforce_object or record._meta.model_name
        failed = event.status == EventStatus.ERROR
        name = "errors" if failed else COUNTED[details["operation"]]
        self.directions[key][event.direction][name] += 1
        item = SyncPreviewItem(
            preview=self.report,
            salesforce_object=key,
            direction=event.direction,
            outcome=OUTCOMES[name],
            record=str(record)[:255],
            record_id=record.pk,
            salesforce_id=event.salesforce_id,
            fields=", ".join(change["field"] for change in event.changes),
            error_code=event.error_code,
            detail=event.error_message,
        )
        self.items.append(item)
        sample = self.samples[key][item.outcome]
        if len(sample) < SAMPLE_SIZE:
            sample.append(_sample_row(item))

    def count(self, key: str, operation, *, failed: bool = False, amount: int = 1,
              reason: str = "", direction: str = "") -> None:  # fmt: skip
        super().count(key, operation, failed=failed, amount=amount)
        if reason:  # counted without events: the event path tallies its own
            name = "errors" if failed else COUNTED[operation]
            self.reasons[key][reason] += amount
            self.directions[key][direction or Direction.OUTBOUND][name] += amount

    def resolve_saved(self) -> None:
        """A preview saves nothing: every waiting event is an item, key or not."""
        for record, details in self._unsaved:
            self.event(record, **details)
        self._unsaved = []

    def flush(self) -> None:
        SyncPreviewItem.objects.bulk_create(self.items, batch_size=1000)
        self.items, self.events = [], []


class Preview:
    """What a preview cycle carries: its report row, store, recorder and foreseen answers.

    `mappings` and `rules` are the proposed field mappings (settings-document entries) and
    inclusion rules of a preview of unsaved settings; None: the saved ones."""

    def __init__(
        self,
        *,
        report: SyncPreview,
        client: SalesforceClient,
        mappings: list[dict] | None = None,
        rules: list[InclusionRule] | None = None,
        on_progress: Callable[[SyncPreview], None] | None = None,
    ):
        self.report, self.client = report, client
        self.mappings, self.rules = mappings, rules
        self.on_progress = on_progress
        self.store = PreviewStore()
        self.recorder = PreviewRecorder(report)
        self._described: dict[str, dict] = {}
        self._created = 0

    def progress(self, **progress: Any) -> None:
        self.report.progress(**progress)
        if self.on_progress is not None:
            self.on_progress(self.report)

    def save(self, operation: str, sobject: str, records: Sequence[dict]) -> list[RecordResult]:
        """Salesforce's answers to a write, as far as describe() foresees them; nothing is
        sent. A create succeeds with a made-up id of the object's key prefix."""
        described = self._describe(sobject)
        fields = {field["name"]: field for field in described["fields"]}
        creating = operation in CREATING
        results = []
        for index, record in enumerate(records):
            values = {name: value for name, value in record.items() if name != "Id"}
            error = foreseen_error(values, fields, creating=creating)
            if error is not None:
                results.append(RecordResult(index=index, success=False, errors=(error,)))
            elif creating:
                new_id = self._new_id(described.get("keyPrefix") or "000")
                results.append(RecordResult(index=index, success=True, id=new_id, created=True))
            else:
                results.append(RecordResult(index=index, success=True, id=record.get("Id")))
        return results

    def found(self) -> dict[str, Any]:
        """What the preview found, for its report row."""
        recorder = self.recorder
        return {
            "api_calls": self.client.calls,
            "counts": _plain(recorder.counts),
            "directions": _plain(recorder.directions),
            "skip_reasons": _plain(recorder.reasons),
            "samples": _plain(recorder.samples),
            "local_writes": _plain(self.store.tally),
        }

    def _describe(self, sobject: str) -> dict:
        """describe() once per object and preview (the client's cache serves it mostly)."""
        if sobject not in self._described:
            self._described[sobject] = self.client.describe(sobject)
        return self._described[sobject]

    def _new_id(self, key_prefix: str) -> str:
        """A well-formed 18-character id no org has given out ("PV" in the instance part)."""
        self._created += 1
        serial, digits = self._created, ""
        while serial:
            serial, remainder = divmod(serial, 62)
            digits = _BASE62[remainder] + digits
        id15 = key_prefix[:3] + "PV" + digits.rjust(10, "0")
        return id15 + _checksum(id15)


def _checksum(id15: str) -> str:
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << position for position, char in enumerate(id15[start : start + 5])
                   if "A" <= char <= "Z")  # fmt: skip
        suffix += _CHECKSUM[bits]
    return suffix


def _label(model: type[Model]) -> str:
    return str(model._meta.verbose_name_plural)


def _pushed(model: type[Model]) -> bool:
    return any(field.name == "local_modified_at" for field in model._meta.concrete_fields)


def _unsynced(row: Model) -> bool:
    """`push.unsynced` for a row in memory."""
    if row.deleted_in_salesforce:
        return False
    synced = row.salesforce_synced_at
    return synced is None or (row.local_modified_at is not None and row.local_modified_at > synced)


def _sample_row(item: SyncPreviewItem) -> dict:
    return {
        "record": item.record,
        "direction": item.direction,
        "salesforce_id": item.salesforce_id,
        "fields": item.fields,
        "error_code": item.error_code,
        "detail": item.detail,
    }


def _plain(value):
    """defaultdicts (nested) as plain dicts, for JSON."""
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    return value
