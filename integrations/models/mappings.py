"""Field mappings: which local field syncs with which Salesforce field, and how."""

from django.db import models

from integrations.choices import MappingRule
from tracking.choices import SalesforceObject

# The objects that have field mappings: people (Leads, Contacts) and Accounts.
MappedObject = models.TextChoices(
    "MappedObject",
    [(member.name, (member.value, member.label)) for member in SalesforceObject]
    + [("ACCOUNT", ("Account", "Account"))],
)


class FieldMapping(models.Model):
    """Local Contact fields map to Lead and Contact fields; Company fields to Account."""

    salesforce_object = models.CharField(max_length=16, choices=MappedObject.choices)
    local_field = models.CharField(
        max_length=64, help_text="Contact or company field, or properties.<key>."
    )
    salesforce_field = models.CharField(
        max_length=80, help_text="API name, e.g. Title or Score__c."
    )
    rule = models.CharField(
        max_length=24,
        choices=MappingRule.choices,
        default=MappingRule.TWO_WAY,
        help_text=(
            "Two-way: the most recent change wins. Prefer Salesforce unless blank: Salesforce's "
            "value wins when it has one. Always Salesforce: Salesforce's value always wins and "
            "is never overwritten. To Salesforce only: sent, never read back. Off: ignored."
        ),
    )

    class Meta:
        ordering = ["salesforce_object", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["salesforce_object", "salesforce_field"], name="mapping_unique_sf_field"
            ),
            models.UniqueConstraint(
                fields=["salesforce_object", "local_field"], name="mapping_unique_local_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_field} ↔ {self.salesforce_object}.{self.salesforce_field}"
