"""Recording what a sync run does: per-record events (bulk-inserted) and per-object counts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from integrations.choices import Direction, EventStatus, Operation
from integrations.exceptions import SalesforceError
from integrations.models import SyncRun
from integrations.salesforce.hints import hint_for
from integrations.salesforce.results import RecordError
from tracking.models import SyncEvent

# The counter each operation adds to, in the order summaries show them.
COUNTED = {
    Operation.CREATE: "created",
    Operation.UPDATE: "updated",
    Operation.MATCH: "matched",
    Operation.DELETE: "deleted",
    Operation.SKIP: "skipped",
    Operation.ERROR: "errors",
}
COUNT_NAMES = tuple(COUNTED.values())

# What Salesforce answers for an OwnerId that is no user of the org (missing, or not a user's).
OWNER_NOT_A_USER_CODES = (
    "INVALID_CROSS_REFERENCE_KEY",
    "FIELD_INTEGRITY_EXCEPTION",
    "MALFORMED_ID",
)
NOT_A_USER = (
    "The owner is not a user of the org. Choose an active user as the fallback owner "
    "(fallback_owner_id) in the sync settings, or leave it empty so the integration user owns "
    "such records."
)
# Hints that depend on the field as well as the error code.
FIELD_HINTS = {
    ("REQUIRED_FIELD_MISSING", "Company"): (
        "Salesforce Leads need a company: set a company on the contact, or choose record type "
        "Contact in the sync settings."
    ),
    ("REQUIRED_FIELD_MISSING", "LastName"): "Salesforce needs a last name: set one on the contact.",
    **{(code, "OwnerId"): NOT_A_USER for code in OWNER_NOT_A_USER_CODES},
}


def explain(code: str, fields: tuple[str, ...] = ()) -> str:
    """The fix hint for an error code, specific to the field where we know better."""
    for field in fields:
        if (code, field) in FIELD_HINTS:
            return FIELD_HINTS[(code, field)]
    return hint_for(code)


class Recorder:
    """Collects a run's events and counts; `flush()` writes them in one bulk insert."""

    def __init__(self, run: SyncRun | None):
        self.run = run
        self.events: list[SyncEvent] = []
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._content_types: dict[type, ContentType] = {}
        self._unsaved: list[tuple[models.Model, dict[str, Any]]] = []

    def event(
        self,
        record: models.Model,
        *,
        direction: Direction,
        operation: Operation,
        salesforce_object: str = "",
        salesforce_id: str = "",
        changes: list[dict[str, Any]] | None = None,
        error: RecordError | SalesforceError | None = None,
        message: str = "",
    ) -> None:
        code, text, fields = _error_parts(error)
        failed = error is not None or operation == Operation.ERROR
        self.events.append(
            SyncEvent(
                run=self.run,
                content_type=self._content_type(record),
                object_id=record.pk,
                direction=direction,
                operation=Operation.ERROR if failed else operation,
                status=EventStatus.ERROR if failed else EventStatus.OK,
                salesforce_object=salesforce_object,
                salesforce_id=salesforce_id or "",
                changes=changes or [],
                error_code=code,
                error_message=text or message,
                hint=explain(code, fields) if code else "",
            )
        )
        self.count(salesforce_object or record._meta.model_name, operation, failed=failed)

    def event_when_saved(self, record: models.Model, **details: Any) -> None:
        """An event for a record that may not be saved yet; see `resolve_saved`."""
        self._unsaved.append((record, details))

    def resolve_saved(self) -> None:
        """Turn the events of `event_when_saved` into events, once their records have keys."""
        for record, details in self._unsaved:
            if record.pk is not None:
                self.event(record, **details)
        self._unsaved = []

    def count(
        self,
        key: str,
        operation: Operation,
        *,
        failed: bool = False,
        amount: int = 1,
        reason: str = "",
        direction: str = "",
    ) -> None:
        """Add to a counter; `reason` and `direction` say why and on which way records were
        skipped without an event of their own (the preview reports them; a run's counts
        do not keep them)."""
        name = "errors" if failed else COUNTED[operation]
        self.counts[key][name] += amount

    def flush(self) -> None:
        if self.events:
            SyncEvent.objects.bulk_create(self.events, batch_size=1000)
            self.events = []

    def _content_type(self, record: models.Model) -> ContentType:
        model = type(record)
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model)
        return self._content_types[model]


def _error_parts(error) -> tuple[str, str, tuple[str, ...]]:
    if error is None:
        return "", "", ()
    if isinstance(error, RecordError):
        return error.code, error.message, error.fields
    return error.code, error.message, ()
