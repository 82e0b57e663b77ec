"""The per-record sync history: one row per change (or failed attempt) of any record.

A record is named by content type + id, so one table serves every synced model. The table
keeps the name it was created with (`integrations_syncevent`): the model moved here without
copying its rows.

The link to the sync run that wrote an event is a lazy reference ("integrations.SyncRun"),
not an import: nothing in tracking imports integrations. It keeps the database constraint and
`on_delete=SET_NULL` (deleting a run keeps its events) that the rows have always had.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from tracking.choices import Direction, EventStatus, Operation


class SyncEvent(models.Model):
    """One change (or failed attempt) of one record, in one direction."""

    run = models.ForeignKey(
        "integrations.SyncRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    operation = models.CharField(max_length=16, choices=Operation.choices)
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.OK)
    salesforce_object = models.CharField(max_length=40, blank=True)
    salesforce_id = models.CharField(max_length=18, blank=True)
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"field": local name, "salesforce_field": Salesforce name, "old": ..., '
        '"new": ...}]; rows written before both names were kept have one of the two.',
    )
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    hint = models.TextField(blank=True)

    class Meta:
        db_table = "integrations_syncevent"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.operation} {self.salesforce_id}".strip()
