"""Emails a contact is still known by after its Salesforce record was merged away.

The host product knows its contacts by email. When Salesforce merges two Leads or Contacts,
the local record of the merged-away one is merged into the survivor (and deleted), or
re-linked to the master and re-read from it (taking the master's email): the email the host
knew it by matches no contact any more. The sync keeps that email here, pointing at the
contact that follows the master, so the ingestion API and the read API's `?email=` lookup
find that contact instead of creating (or missing) a duplicate. A contact that has the email
itself always comes first.
"""

from django.db import models

from tracking.models.contact import Contact
from tracking.models.keys import KeyedEmailField, key_field


class ContactEmailAlias(models.Model):
    email = KeyedEmailField(max_length=254, key_field="email_key")
    email_key = key_field(254, verbose_name="email in any case")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="email_aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["email_key"], name="contact_alias_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.contact_id}"
