"""The preview scenario: a sync preview of the waiting contacts, then the real cycle on the
same data, so the preview's cost stands next to the cycle's.

The preview must cost no more Salesforce calls than the cycle (it reads what the cycle reads
and writes nothing). The preview is timed untraced; its memory is the peak of a second,
identical preview traced with `tracemalloc` (Python allocations made while it runs, less what
was allocated before); the cycle's is the process's peak (`ru_maxrss`) after it, as the
other scenarios report it, which includes everything the process did before.
"""

from __future__ import annotations

import time
import tracemalloc

from django.core.management.base import CommandError

from integrations.bench.processes import EmulatorProcess
from integrations.choices import RunStatus, RunTrigger
from integrations.models import SyncPreview
from integrations.services.sync import salesforce_sync_create, salesforce_sync_run
from integrations.services.sync_preview import sync_preview_run


def preview_then_cycle(
    emulator: EmulatorProcess, *, records: int, peak_memory_mb
) -> tuple[dict, dict]:
    """Preview the cycle of the waiting `records` contacts, then run it; both rows."""
    before = emulator.api_calls()
    started = time.perf_counter()
    preview = _preview()
    seconds = time.perf_counter() - started
    calls = emulator.api_calls() - before
    peak = _traced_peak()
    preview_row = _row("Preview (dry run), then", records, calls, seconds, peak / 2**20,
                       preview.counts)  # fmt: skip
    preview_row["items"] = preview.items.count()
    before = emulator.api_calls()
    started = time.perf_counter()
    run = salesforce_sync_run(run=salesforce_sync_create(trigger=RunTrigger.COMMAND))
    seconds = time.perf_counter() - started
    if run.status not in (RunStatus.SUCCEEDED, RunStatus.PARTIAL):
        raise CommandError(f"The cycle after the preview {run.status}: {run.error}")
    cycle_row = _row("the cycle it previewed (memory check)", records,
                     emulator.api_calls() - before, seconds, peak_memory_mb(),
                     run.counts)  # fmt: skip
    if run.counts != preview.counts:
        raise CommandError(f"The preview foresaw {preview.counts}, the cycle did {run.counts}.")
    return preview_row, cycle_row


def _preview() -> SyncPreview:
    preview = sync_preview_run(preview=SyncPreview.objects.create())
    if preview.status != RunStatus.SUCCEEDED:
        raise CommandError(f"The preview {preview.status}: {preview.error}")
    return preview


def _traced_peak() -> int:
    """The peak of Python allocations of a second, identical preview (it writes nothing, so
    the data is the same), traced with `tracemalloc`; not timed: tracing slows it down."""
    tracemalloc.start()
    try:
        _preview()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _row(name, records, calls, seconds, memory, counts) -> dict:
    return {
        "name": name, "records": records, "calls": calls, "seconds": seconds,
        "per_1000": 1000 * calls / records if records else None,
        "per_second": records / seconds if records else None,
        "memory": memory, "counts": counts,
    }  # fmt: skip
