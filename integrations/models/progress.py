"""The lifecycle of a row that shows a long job's progress: a sync run, a sync preview.

A model using `ProgressRow` has the fields `status`, `started_at`, `heartbeat_at`, `phase`,
`done`, `total` and `api_calls`; the mixin adds no field, so it changes no migration.
"""

from __future__ import annotations

from django.utils import timezone

from integrations.choices import RUN_TERMINAL_STATUSES, RunStatus


class ProgressRow:
    def start(self) -> None:
        """Running from now; the heartbeat starts too, so the sweep finds an early death."""
        self.status, self.started_at = RunStatus.RUNNING, timezone.now()
        self.heartbeat_at = self.started_at
        self.save(update_fields=["status", "started_at", "heartbeat_at"])

    def progress(
        self, *, api_calls: int, phase: str | None = None, advance: int = 0, total: int = 0
    ) -> None:
        """Move the progress bar (and the phase shown with it); every call is a heartbeat."""
        if phase is not None:
            self.phase = phase
        self.done += advance
        self.total = max(self.total, total, self.done)
        self.heartbeat_at = timezone.now()
        self.api_calls = api_calls
        self.save(update_fields=["phase", "done", "total", "heartbeat_at", "api_calls"])

    def beat(self) -> None:
        """The heartbeat alone (from the background heartbeat, between progress steps)."""
        self.heartbeat_at = timezone.now()
        type(self).objects.filter(pk=self.pk, status=RunStatus.RUNNING).update(
            heartbeat_at=self.heartbeat_at
        )

    @property
    def is_finished(self) -> bool:
        return self.status in RUN_TERMINAL_STATUSES

    @property
    def progress_percent(self) -> int:
        """How far the job got; a failed one shows where it stopped, never a full bar."""
        if self.is_finished and self.status != RunStatus.FAILED:
            return 100
        reached = int(100 * self.done / self.total) if self.total else 0
        return min(reached, 99) if self.status == RunStatus.FAILED else reached
