"""A read-only mirror of Salesforce Opportunities (when opportunity sync is on)."""

from django.db import models


class Opportunity(models.Model):
    salesforce_id = models.CharField("Salesforce id", max_length=18, unique=True)
    name = models.CharField(max_length=120)
    stage = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    company = models.ForeignKey(
        "tracking.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    account_salesforce_id = models.CharField(max_length=18, blank=True)
    owner_salesforce_id = models.CharField(max_length=18, blank=True)
    is_closed = models.BooleanField(default=False)
    is_won = models.BooleanField(default=False)
    contacts = models.ManyToManyField("tracking.Contact", blank=True, related_name="opportunities")
    salesforce_modstamp = models.DateTimeField(null=True, blank=True)
    salesforce_synced_at = models.DateTimeField(null=True, blank=True)
    deleted_in_salesforce = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["-close_date", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.stage})"
