"""Sync runs and their bookkeeping: every run is a row (its per-record events: tracking)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from integrations.choices import Lane, RunStatus, RunTrigger
from integrations.models.progress import ProgressRow


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


class SyncRun(ProgressRow, models.Model):
    """One sync cycle: when, why, how far, with what outcome.

    Its lifecycle is written here and in `ProgressRow` only: `start`, `progress` (phase, bar
    and heartbeat), `beat` (the heartbeat alone), `finish`, and `SyncRun.objects.fail_stale`
    for runs whose worker died.
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
