"""Previewing the sync (a dry run): enqueue, run, and the report's CSV.

A preview runs the same handlers as a cycle with a preview cycle (`sync.preview`): it reads
Salesforce (at most the reads a real cycle makes) and writes nothing, neither there nor here,
except its own report rows. It runs whether or not the master switch is on (that is its
point), with the saved settings or with proposed ones not saved yet (`proposed`); either
way the row keeps the settings it ran with (`settings_document`, the `crm_settings` shape).
A paused connection makes no calls, so no preview runs then. Previews never run two at a
time (their own lease); one may run while a cycle runs.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.choices import RunStatus
from integrations.exceptions import SalesforceError
from integrations.models import (
    InclusionRule,
    SalesforceConnection,
    SyncPreview,
    SyncPreviewItem,
    SyncSettings,
)
from integrations.salesforce.hints import hint_for
from integrations.services.connection import salesforce_client
from integrations.services.settings import RULE_KEYS, settings_export
from integrations.services.settings_schema import SETTINGS_KEYS
from integrations.sync.cycle import Cycle
from integrations.sync.engine import cycle_walk
from integrations.sync.lease import Heartbeat, lease_acquire, lease_release
from integrations.sync.preview.collector import Preview

logger = logging.getLogger(__name__)

LEASE = "salesforce-preview"
CSV_COLUMNS = ("object", "direction", "outcome", "record", "record_id", "salesforce_id",
               "fields", "error_code", "detail")  # fmt: skip
ITEM_FIELDS = ("salesforce_object", "direction", "outcome", "record", "record_id",
               "salesforce_id", "fields", "error_code", "detail")  # fmt: skip
BUSY = "Another preview is running; its report is shown when it is done."
PENDING_MINUTES = 10
UNFINISHED = (RunStatus.PENDING, RunStatus.RUNNING)
ITEMS_KEPT = 5  # finished previews whose planned items (the CSV) are kept; older keep the rest
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sync_preview_enqueue(
    *, requested_by=None, settings_document: dict[str, Any] | None = None
) -> tuple[SyncPreview, bool]:
    """Record a preview and hand it to the task cluster once the transaction commits, and
    True; while one is pending or running, that one and False."""
    from django_q.tasks import async_task

    sync_preview_fail_dead()
    waiting = SyncPreview.objects.filter(status__in=UNFINISHED)
    if (current := waiting.first()) is not None:
        return current, False
    preview = SyncPreview.objects.create(
        requested_by=requested_by,
        proposed=settings_document is not None,
        settings_document=settings_document,
    )
    transaction.on_commit(
        lambda: async_task("integrations.tasks.sync_preview_task", preview_id=preview.pk)
    )
    return preview, True


def sync_preview_run(
    *, preview: SyncPreview, on_progress: Callable[[SyncPreview], None] | None = None
) -> SyncPreview:
    """Run the preview; its outcome and report are on the row (`on_progress`: called with
    the row whenever its progress moves, e.g. the command's progress line)."""
    connection = SalesforceConnection.load()
    if not connection.is_connected:
        return _finish(preview, RunStatus.FAILED, error="Salesforce is not connected.",
                       hint=hint_for("NOT_CONNECTED"))  # fmt: skip
    if connection.is_paused:
        return _finish(
            preview,
            RunStatus.SKIPPED,
            error=(
                f"The connection is paused until {connection.paused_until:%Y-%m-%d %H:%M} UTC "
                f"({connection.last_error}), and a paused connection makes no calls: nothing "
                "was previewed."
            ),
            hint=connection.last_error_hint,
        )
    holder = lease_acquire(name=LEASE)
    if holder is None:
        return _finish(preview, RunStatus.SKIPPED, error=BUSY, hint="Try again when it is done.")
    preview.start()
    try:
        with Heartbeat(run=preview, holder=holder, name=LEASE):
            return _execute(preview, on_progress)
    finally:
        lease_release(holder=holder, name=LEASE)


def sync_preview_csv_lines(*, preview: SyncPreview) -> Iterator[str]:
    """Every planned item of the preview as CSV lines, read from the database in chunks
    (never all in memory)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in preview.items.order_by("pk").values_list(*ITEM_FIELDS).iterator(chunk_size=2000):
        yield writer.writerow([_inert(value) for value in row])


def sync_preview_csv(*, preview: SyncPreview, out: IO[str]) -> None:
    """The CSV into a file."""
    out.writelines(sync_preview_csv_lines(preview=preview))


def _inert(value):
    """A cell a spreadsheet shows as text: one starting like a formula (= + - @, or a tab or
    carriage return before one) gets a leading single quote. Record names, ids and
    Salesforce's messages come from anyone who can edit a record."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file for `csv.writer` that hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _settings_of(
    preview: SyncPreview,
) -> tuple[SyncSettings, list[dict] | None, list[InclusionRule] | None]:
    """The settings, mappings and inclusion rules a preview runs with: the saved ones, or
    the saved ones with the proposed document's keys, mappings and rules applied in memory
    (nothing saved); None: the saved mappings or rules."""
    settings = SyncSettings.load()
    if not preview.proposed:
        return settings, None, None
    document = preview.settings_document
    for key in SETTINGS_KEYS:
        if key in document:
            setattr(settings, key, document[key])
    rules = None
    if "inclusion_rules" in document:
        rules = [
            InclusionRule(settings=settings, **{key: rule.get(key, "") for key in RULE_KEYS})
            for rule in document["inclusion_rules"]
        ]
    return settings, document.get("mappings"), rules


def _execute(preview: SyncPreview, on_progress) -> SyncPreview:
    client = salesforce_client(read_only=True)
    if not preview.proposed:
        preview.settings_document = settings_export()
        preview.save(update_fields=["settings_document"])
    settings, mappings, rules = _settings_of(preview)
    collector = Preview(report=preview, client=client, mappings=mappings, rules=rules,
                        on_progress=on_progress)  # fmt: skip
    cycle = Cycle(settings=settings, client=client, recorder=collector.recorder,
                  preview=collector)  # fmt: skip
    try:
        cycle_walk(cycle)
    except SalesforceError as error:
        collector.recorder.flush()
        return _finish(preview, RunStatus.FAILED, error=str(error), hint=error.hint,
                       **collector.found())  # fmt: skip
    except Exception as error:
        _finish(preview, RunStatus.FAILED, error=f"Unexpected error: {error!r}",
                hint="See the task log.", **collector.found())  # fmt: skip
        raise
    return _finish(preview, RunStatus.SUCCEEDED, **collector.found())


def _finish(preview: SyncPreview, status: str, **outcome) -> SyncPreview:
    preview.finish(status, **outcome)
    _expire_items()
    return preview


def _expire_items() -> None:
    """Only the latest `ITEMS_KEPT` finished previews keep their items (a 100,000-contact
    preview has as many); older ones keep their counts, reasons and samples. A pending or
    running preview's items are never touched."""
    finished = SyncPreview.objects.exclude(status__in=UNFINISHED)
    kept = list(finished.order_by("-created_at", "-pk").values_list("pk", flat=True)[:ITEMS_KEPT])
    SyncPreviewItem.objects.filter(preview__in=finished.exclude(pk__in=kept)).delete()


def sync_preview_fail_dead() -> None:
    """Previews whose worker stopped beating (crash, kill, restart) and previews no worker
    started in `PENDING_MINUTES` (their task was lost) end as failed, so they hold up no
    other preview (run before one is queued, by the sweep and when previews are shown)."""
    now = timezone.now()
    stale = now - timedelta(seconds=conf.get("SYNC_LEASE_SECONDS"))
    SyncPreview.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=RunStatus.FAILED, finished_at=now, hint="Preview again.",
        error="The worker running this preview stopped (crash, kill or restart).",
    )  # fmt: skip
    forgotten = now - timedelta(minutes=PENDING_MINUTES)
    SyncPreview.objects.filter(status=RunStatus.PENDING, created_at__lt=forgotten).update(
        status=RunStatus.FAILED, finished_at=now,
        error=f"No task cluster started this preview within {PENDING_MINUTES} minutes.",
        hint="Check that a qcluster process is running, then preview again.",
    )  # fmt: skip
