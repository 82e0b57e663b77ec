"""Sync previews (dry runs) and their planned items: the only rows a preview writes.

A preview runs the sync's matching and planning against the org without writing anything
on either side (`integrations.sync.preview`). Its row has the run's progress fields, the
counts per object in the shape of `SyncRun.counts` (so a preview and the real cycle after it
compare key by key, "errors" being what the preview calls rejected), the skip reasons, a
bounded sample per outcome and the local writes it left out; every planned item is a
`SyncPreviewItem` row, written per batch, for the CSV.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models.progress import ProgressRow


class SyncPreview(ProgressRow, models.Model):
    """One preview: who asked, with which settings, how far it got and what it found."""

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    proposed = models.BooleanField(
        default=False, help_text="Of proposed settings, not saved (else of the saved ones)."
    )
    settings_document = models.JSONField(
        null=True,
        blank=True,
        help_text="The settings it ran with, as the crm_settings document: the proposed "
        "ones from the start, the saved ones once it runs.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    api_calls = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    directions = models.JSONField(
        default=dict, blank=True, help_text="Per object and direction: the counts."
    )
    skip_reasons = models.JSONField(default=dict, blank=True)
    samples = models.JSONField(default=dict, blank=True)
    local_writes = models.JSONField(
        default=dict, blank=True, help_text="Per model: the rows a real cycle would write."
    )
    error = models.TextField(blank=True)
    hint = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Sync preview {self.pk} ({self.get_status_display()})"

    def finish(self, status: str, *, error: str = "", hint: str = "", **found) -> None:
        """Close the preview with what it found (`found`: counts, directions, skip_reasons,
        samples, local_writes, api_calls)."""
        self.status, self.finished_at = status, timezone.now()
        self.error, self.hint = error, hint
        for name, value in found.items():
            setattr(self, name, value)
        if status == RunStatus.SUCCEEDED:
            self.phase = "Done"
        self.save()


class PreviewOutcome(models.TextChoices):
    MATCHED = "matched", "Matched"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Deleted"
    SKIPPED = "skipped", "Skipped"
    REJECTED = "rejected", "Rejected"


class SyncPreviewItem(models.Model):
    """One planned item of a preview: what would happen to one record (a CSV line)."""

    preview = models.ForeignKey(SyncPreview, on_delete=models.CASCADE, related_name="items")
    salesforce_object = models.CharField(max_length=80)
    direction = models.CharField(max_length=8)
    outcome = models.CharField(max_length=16, choices=PreviewOutcome.choices)
    record = models.CharField(max_length=255, blank=True, help_text="The local record.")
    record_id = models.BigIntegerField(null=True, blank=True)
    salesforce_id = models.CharField(max_length=18, blank=True)
    fields = models.TextField(blank=True, help_text="The fields written, comma-separated.")
    error_code = models.CharField(max_length=64, blank=True)
    detail = models.TextField(blank=True, help_text="Why: the reason, or the error message.")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["preview", "salesforce_object", "outcome"])]
