"""Sync runs and their bookkeeping: every run is a row (its per-record events: tracking)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from integrations.choices import RUN_TERMINAL_STATUSES, Lane, RunStatus, RunTrigger


class SyncRunQuerySet(models.QuerySet):
    def fail_stale(self, *, heartbeat_before, taken_over_by: SyncRun | None = None) -> int:
        """Fail running runs whose worker stopped beating (crash, kill or restart)."""
        error = "The worker running this sync stopped (crash, kill or restart)."
        if taken_over_by is not None:
            error += f" Its lease ran out and run {taken_over_by.pk} took over."
        return self.filter(status=RunStatus.RUNNING, heartbeat_at__lt=heartbeat_before).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=error,
            hint="Nothing is lost: the next run continues where this one stopped.",
        )


class SyncRun(models.Model):
    """One sync cycle: when, why, how far, with what outcome.

    Its lifecycle is written here only: `start`, `progress` (phase, bar and heartbeat),
    `beat` (the heartbeat alone), `finish`, and `SyncRun.objects.fail_stale` for runs whose
    worker died.
    """

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    trigger = models.CharField(max_length=16, choices=RunTrigger.choices)
    lane = models.CharField(max_length=16, choices=Lane.choices, default=Lane.SYNC)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per object: created, updated, deleted, skipped, errors.",
    )
    api_calls = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    hint = models.TextField(blank=True)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Sync run {self.pk} ({self.get_status_display()})"

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

    def finish(
        self,
        status: str,
        *,
        error: str = "",
        hint: str = "",
        api_calls: int | None = None,
        counts: dict | None = None,
    ) -> None:
        """Close the run; what the records did so far is counted even when the run failed."""
        self.status = status
        self.finished_at = timezone.now()
        self.error, self.hint = error, hint
        if api_calls is not None:
            self.api_calls = api_calls
        if counts is not None:
            self.counts = {key: dict(value) for key, value in counts.items()}
        if status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL):
            self.phase = "Done"
        self.save()

    @property
    def is_finished(self) -> bool:
        return self.status in RUN_TERMINAL_STATUSES

    @property
    def progress_percent(self) -> int:
        """How far the run got; a failed run shows where it stopped, never a full bar."""
        if self.is_finished and self.status != RunStatus.FAILED:
            return 100
        reached = int(100 * self.done / self.total) if self.total else 0
        return min(reached, 99) if self.status == RunStatus.FAILED else reached

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class SyncCursor(models.Model):
    """The inbound watermark per Salesforce object (SystemModstamp of the newest row read)."""

    salesforce_object = models.CharField(max_length=40, unique=True)
    last_modstamp = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.salesforce_object}: {self.last_modstamp}"


class SyncLease(models.Model):
    """Who may run the sync right now: one row per lease name, taken by a conditional UPDATE.

    A single UPDATE … WHERE (free or expired or ours) is atomic on SQLite and PostgreSQL, so
    however many qcluster processes try, one holds the lease; a crashed holder's lease
    simply expires. `holder` names the process (host, pid); `run` is the run it is running.
    """

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'free'}"
