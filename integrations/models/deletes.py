"""Safe deletes: deletions decided by a pull, the mass-delete brake, and the quarantine.

A deletion in Salesforce that the deletion policy applies here is first a `PendingDeletion`
row (written with the pulled batch, so a crash loses nothing). After every pull of a cycle
the brake decides: too many at once and a `DeleteBrake` holds them until an admin confirms
or cancels; otherwise each local record moves into quarantine: a `QuarantinedRecord` keeps
its serialized snapshot (same primary key) and Salesforce link until `purge_after`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from integrations.choices import BrakeStatus


class DeleteBrake(models.Model):
    """One time the brake held a cycle's deletions, and what the admin decided."""

    status = models.CharField(
        max_length=16, choices=BrakeStatus.choices, default=BrakeStatus.HOLDING
    )
    run = models.ForeignKey(
        "integrations.SyncRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The sync run whose deletions tripped the brake.",
    )
    tripped_count = models.PositiveIntegerField(
        help_text="How many deletions that cycle would have made."
    )
    linked_count = models.PositiveIntegerField(
        help_text="How many local records were linked to Salesforce then."
    )
    threshold = models.PositiveIntegerField(
        help_text="The most deletions one cycle may make without asking."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "delete brake"

    def __str__(self) -> str:
        return f"Delete brake {self.pk} ({self.get_status_display()})"


class PendingDeletion(models.Model):
    """A local record the deletion policy removes, not yet moved into quarantine."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    salesforce_object = models.CharField(max_length=40)
    salesforce_id = models.CharField(max_length=18)
    run = models.ForeignKey(
        "integrations.SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    brake = models.ForeignKey(
        DeleteBrake,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held",
        help_text="The brake holding it; empty until the brake has looked at it.",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="pending_deletion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.salesforce_object} {self.salesforce_id}"


class QuarantinedRecord(models.Model):
    """A deleted local record, restorable (with its Salesforce link) until `purge_after`."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=255, help_text="The record as it was shown.")
    snapshot = models.TextField(help_text="The record serialized (Django's JSON format).")
    salesforce_object = models.CharField(max_length=40)
    salesforce_id = models.CharField("Salesforce id", max_length=18, db_index=True)
    run = models.ForeignKey(
        "integrations.SyncRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField()
    purge_after = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = "quarantined record"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="quarantined_record_once"
            )
        ]

    def __str__(self) -> str:
        return self.label
