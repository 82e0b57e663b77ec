"""Seats (Sales Navigator's licences): which local users may have their CRM work synced, and
the Salesforce user each one is.

A seat belongs to one local user and carries the Salesforce user it was matched to by email
among the org's Users (id, username, email, whether active). `crm_sync` is the per-seat
switch; with "auto-sync all seat holders" on, every seat syncs whatever it says
(`Seat.syncs`). `match_problem` says in plain words why a seat has no active Salesforce user.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SeatRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"
    ADMIN_MEMBER = "admin_member", "Admin and member"


class Seat(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat"
    )
    role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.MEMBER)
    crm_sync = models.BooleanField(
        "CRM sync",
        default=True,
        help_text="Sync this seat holder's activities and pipeline (when auto-sync is off).",
    )
    salesforce_user_id = models.CharField(
        "Salesforce user id", max_length=18, blank=True, db_index=True
    )
    salesforce_username = models.CharField("Salesforce username", max_length=80, blank=True)
    salesforce_email = models.EmailField("Salesforce email", max_length=128, blank=True)
    salesforce_active = models.BooleanField("Salesforce user active", default=False)
    match_problem = models.CharField(
        max_length=255,
        blank=True,
        help_text="Why the seat has no active Salesforce user (empty when matched).",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__email", "pk"]

    def __str__(self) -> str:
        return f"Seat of {self.user.email or self.user.get_username()}"

    @property
    def matched(self) -> bool:
        """Linked to an active Salesforce user."""
        return bool(self.salesforce_user_id and self.salesforce_active)

    def syncs(self, *, auto_sync: bool) -> bool:
        """Whether this seat holder's CRM work is synced, given "auto-sync all seat holders"."""
        return auto_sync or self.crm_sync
