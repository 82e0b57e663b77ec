"""Companies of the host product; synced to Salesforce Accounts when account sync is on."""

from django.db import models
from django.db.models.functions import Lower

from tracking.models.base import SyncedRecord


class Company(SyncedRecord):
    name = models.CharField(max_length=255)
    domain = models.CharField(
        max_length=255, blank=True, help_text="e.g. acme.com, without scheme or www."
    )
    website = models.URLField(max_length=255, blank=True)

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
        indexes = [models.Index(Lower("name"), name="company_name_lower")]

    def __str__(self) -> str:
        return self.name
