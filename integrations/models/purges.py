"""Purges of imported CRM data: every purge is a row (who, when, how far, what it removed).

A group deactivation with "delete all previously imported CRM data" records one purge. Its
`counts` say per kind of record what was planned and what was done:
`{"contacts": {"to_delete": 3, "to_keep": 2, "deleted": 3, "unlinked": 2}, ...}`; records
created here are kept and unlinked (their Salesforce ids and sync state cleared).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from integrations.choices import PURGE_TERMINAL_STATUSES, PurgeStatus


class CrmDataPurge(models.Model):
    """One purge of imported CRM data; its lifecycle is written by the methods below."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for it (empty from the command line).",
    )
    status = models.CharField(
        max_length=16, choices=PurgeStatus.choices, default=PurgeStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=128, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per kind of record: to_delete, to_keep (planned), deleted, unlinked (done).",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How often it waited for a running sync to finish."
    )
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "CRM data purge"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"CRM data purge {self.pk} ({self.get_status_display()})"

    def start(self) -> None:
        self.status, self.started_at = PurgeStatus.RUNNING, timezone.now()
        self.heartbeat_at, self.error = self.started_at, ""
        self.save(update_fields=["status", "started_at", "heartbeat_at", "error"])

    def wait(self, *, phase: str) -> None:
        """Not started: something it must not run alongside is running."""
        self.phase, self.heartbeat_at = phase, timezone.now()
        self.attempts += 1
        self.save(update_fields=["phase", "heartbeat_at", "attempts"])

    def progress(self, *, kind: str, counted: str, advance: int, phase: str) -> None:
        """`advance` more records of `kind` were deleted or unlinked (`counted`)."""
        numbers = self.counts.setdefault(kind, {})
        numbers[counted] = numbers.get(counted, 0) + advance
        self.done += advance
        self.total = max(self.total, self.done)
        self.phase, self.heartbeat_at = phase, timezone.now()
        self.save(update_fields=["counts", "done", "total", "phase", "heartbeat_at"])

    def finish(self, status: str, *, error: str = "") -> None:
        self.status, self.error = status, error
        self.finished_at = timezone.now()
        if status == PurgeStatus.SUCCEEDED:
            self.phase = "Done"
        self.save(update_fields=["status", "error", "finished_at", "phase"])

    @property
    def is_finished(self) -> bool:
        return self.status in PURGE_TERMINAL_STATUSES

    @property
    def progress_percent(self) -> int:
        """How far it got; a failed purge shows where it stopped, never a full bar."""
        if self.status == PurgeStatus.SUCCEEDED:
            return 100
        reached = int(100 * self.done / self.total) if self.total else 0
        return min(reached, 99) if self.status == PurgeStatus.FAILED else reached

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
