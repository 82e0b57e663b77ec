"""Contacts of the host product; synced to Salesforce Leads or Contacts."""

from django.conf import settings
from django.db import models

from tracking.choices import LifecycleStage, SalesforceObject
from tracking.models.base import SyncedRecord
from tracking.models.keys import KeyedEmailField, KeyedModelMixin, key_field


class Contact(KeyedModelMixin, SyncedRecord):
    email = KeyedEmailField(max_length=254, key_field="email_key")
    email_key = key_field(254, verbose_name="email in any case")
    first_name = models.CharField(max_length=40, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    company = models.CharField(max_length=255, blank=True, help_text="Company name as given.")
    company_record = models.ForeignKey(
        "tracking.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    account_salesforce_id = models.CharField(
        "Salesforce Account id",
        max_length=18,
        blank=True,
        db_index=True,
        help_text="The Account of the Salesforce Contact; links the company once it is synced.",
    )
    title = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=80, blank=True)
    lifecycle_stage = models.CharField(max_length=32, choices=LifecycleStage.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text="The sales user who may read this contact's history.",
    )
    salesforce_owner_id = models.CharField(
        "Salesforce owner id",
        max_length=18,
        blank=True,
        db_index=True,
        help_text="The OwnerId of the Lead or Contact, as the sync last read it: that "
        "Salesforce user's seat holder may read this contact.",
    )
    properties = models.JSONField(default=dict, blank=True)
    salesforce_object = models.CharField(
        max_length=16,
        choices=SalesforceObject.choices,
        blank=True,
        help_text="Whether the Salesforce record is a Lead or a Contact.",
    )

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["email_key"], name="contact_unique_email")]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} <{self.email}>" if name else self.email
