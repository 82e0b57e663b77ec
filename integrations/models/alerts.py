"""Alerts to the staff: one row per time a condition started to hold, until it is over.

A condition instance has a stable key ("auth", "errors_spike:<code>", ...). While it holds,
its alert is open (`cleared_at` empty); a database constraint keeps one open alert per key, so
two workers evaluating at once cannot open it twice. The worker that sends the email claims
it first (`email_claimed_at`, a lease: a worker that died before sending leaves it to run
out) and sets `emailed_at` once it is sent, so the staff get one email per alert.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class AlertQuerySet(models.QuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(cleared_at__isnull=True)


class Alert(models.Model):
    """Something the staff should act on, shown on every admin page while it holds."""

    key = models.CharField(max_length=200, help_text="Which condition, e.g. errors_spike:<code>.")
    title = models.CharField(max_length=200)
    message = models.TextField(help_text="What happened and how to fix it, in plain words.")
    link = models.CharField(
        max_length=500, help_text="The console page that explains it (a path on this site)."
    )
    details = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed the email, to send it."
    )
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(cleared_at__isnull=True), name="alert_open_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
