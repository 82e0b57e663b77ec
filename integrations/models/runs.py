"""Sync runs and their bookkeeping: every run is a row (its per-record events: tracking)."""

from __future__ import annotations

from django.db import models

from integrations.choices import RUN_TERMINAL_STATUSES, RunStatus, RunTrigger


class SyncRun(models.Model):
    """One sync cycle: when, why, how far, with what outcome."""

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    trigger = models.CharField(max_length=16, choices=RunTrigger.choices)
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

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Sync run {self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in RUN_TERMINAL_STATUSES

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

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
    simply expires.
    """

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'free'}"
