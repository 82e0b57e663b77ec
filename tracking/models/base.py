"""Fields every synced record carries."""

from django.db import models

from tracking.choices import Origin


class SyncedRecord(models.Model):
    """Abstract: the Salesforce link and the bookkeeping the sync needs.

    `local_modified_at` moves only when the record changes here (API, admin), never when the
    sync writes Salesforce's values into it; together with `salesforce_synced_at` it tells
    the outbound sync what changed, and `sync_values` (the mapped values both sides last
    agreed on) keeps a value we wrote from coming back as a change (no echo). `updated_at`
    moves on every write, the sync's included (its bulk UPDATEs set it as `save()` would):
    it is the read API's `updated_since` cursor.
    """

    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.LOCAL)
    salesforce_id = models.CharField("Salesforce id", max_length=18, blank=True, db_index=True)
    salesforce_synced_at = models.DateTimeField(null=True, blank=True)
    salesforce_modstamp = models.DateTimeField(
        null=True, blank=True, help_text="Salesforce's SystemModstamp when we last read it."
    )
    sync_values = models.JSONField(default=dict, blank=True)
    deleted_in_salesforce = models.BooleanField(default=False)
    local_modified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        auto_now=True,
        db_index=True,
        help_text="When any write (here or by the sync) last touched the record.",
    )

    class Meta:
        abstract = True
