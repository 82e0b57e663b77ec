"""Test write-backs: what each "Test write-back" created in Salesforce, so its clean-up deletes
exactly those records.

`salesforce_ids` maps a kind (contact, inmail, message, call, note, note_link) to the record's
id. A kind is written with a blank id before its create is sent and gets its id as soon as
Salesforce answers, so a create whose answer was lost is still known to the clean-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models

from tracking.choices import ActivityKind

CONTACT, NOTE_LINK = "contact", "note_link"
# What a test shows and deletes, in the order it shows them.
SHOWN_KINDS = (CONTACT, ActivityKind.INMAIL, ActivityKind.MESSAGE, ActivityKind.CALL,
               ActivityKind.NOTE)  # fmt: skip
LABELS = {CONTACT: "Contact", NOTE_LINK: "note's link", **dict(ActivityKind.choices)}
CONTACT_EMAIL = "crmbridge-writeback-test+{number}@example.com"
NOTE_TITLE = "CRM Bridge write-back test note {number}"


@dataclass(frozen=True)
class TestRecord:
    """One record a test made, with its "View in CRM" link."""

    kind: str
    label: str
    salesforce_id: str
    url: str


class WriteBackTest(models.Model):
    """One run of "Test write-back": a test Contact with one Task of every kind and a note."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_email = models.EmailField(max_length=254, blank=True)
    owner_user_id = models.CharField(
        max_length=18,
        blank=True,
        help_text="The active Salesforce user with the owner email; blank: the integration user.",
    )
    instance_url = models.URLField(max_length=255, help_text="Where the “View in CRM” links go.")
    salesforce_ids = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    hint = models.TextField(blank=True)
    cleaned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "write-back test"

    def __str__(self) -> str:
        return f"Write-back test {self.pk}"

    @property
    def contact_email(self) -> str:
        """Unique per test, so a Contact whose create answer was lost is found by it."""
        return CONTACT_EMAIL.format(number=self.pk)

    @property
    def note_title(self) -> str:
        return NOTE_TITLE.format(number=self.pk)

    @property
    def owner_message(self) -> str:
        if self.owner_user_id:
            return f"Owned by the Salesforce user with the email {self.owner_email}."
        if self.owner_email:
            return (
                f"{self.owner_email} has no active Salesforce user: the integration user owns "
                "the test records."
            )
        return "Owned by the integration user (no owner email given)."

    def records(self) -> list[TestRecord]:
        """The records Salesforce confirmed, with their "View in CRM" links."""
        found = [(kind, self.salesforce_ids.get(kind)) for kind in SHOWN_KINDS]
        return [
            TestRecord(kind, LABELS[kind], record_id, f"{self.instance_url}/{record_id}")
            for kind, record_id in found
            if record_id
        ]

    @property
    def unconfirmed(self) -> list[str]:
        """What was sent but never confirmed (its answer was lost): the clean-up looks for it."""
        return [LABELS[kind] for kind, record_id in self.salesforce_ids.items() if not record_id]

    def remember(self, ids: dict[str, str], *, forget=()) -> None:
        """Store Salesforce ids by kind ("" while a create's answer is awaited); drop the
        kinds in `forget` (a create Salesforce refused made nothing).

        A record made after a clean-up (one ran while this test was still being created)
        opens the test again, so the next clean-up deletes it too.
        """
        merged = {**self.salesforce_ids, **ids}
        self.salesforce_ids = {kind: value for kind, value in merged.items() if kind not in forget}
        fields = ["salesforce_ids"]
        if any(ids.values()):
            self.cleaned_at = None
            fields.append("cleaned_at")
        self.save(update_fields=fields)

    def fail(self, *, error: str, hint: str) -> None:
        self.error, self.hint = error, hint
        self.save(update_fields=["error", "hint"])
