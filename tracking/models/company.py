"""Companies of the host product; synced to Salesforce Accounts when account sync is on."""

from django.db import models
from django.db.models.functions import Lower

from tracking.models.base import SyncedRecord
from tracking.models.keys import KeyedCharField, KeyedModelMixin, key_field


class Company(KeyedModelMixin, SyncedRecord):
    name = KeyedCharField(max_length=255, key_field="name_key")
    name_key = key_field(255, verbose_name="name in any case")
    domain = models.CharField(
        max_length=255, blank=True, help_text="e.g. acme.com, without scheme or www."
    )
    website = models.URLField(max_length=255, blank=True)
    salesforce_owner_id = models.CharField(
        "Salesforce owner id",
        max_length=18,
        blank=True,
        db_index=True,
        help_text="The OwnerId of the Account, as the sync last read it: that Salesforce "
        "user's seat holder may read this company.",
    )

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("domain"),
                condition=~models.Q(domain=""),
                name="company_unique_domain",
            )
        ]
        indexes = [models.Index(fields=["name_key"], name="company_name_key")]

    def __str__(self) -> str:
        return self.name
