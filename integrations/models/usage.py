"""API calls this app made, counted per hour: the 24-hour chart and the app's cap read it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone


def _hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


class ApiUsageHour(models.Model):
    """How many Salesforce API calls CRM Bridge made in one clock hour (UTC)."""

    hour = models.DateTimeField(unique=True)
    calls = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-hour"]
        verbose_name = "API usage (hour)"
        verbose_name_plural = "API usage per hour"

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} UTC: {self.calls} calls"

    @classmethod
    def record(cls, *, calls: int = 1, errors: int = 0, at: datetime | None = None) -> None:
        """Add calls to the current hour's row; safe with many workers at once."""
        hour = _hour_of(at or timezone.now())
        updated = cls.objects.filter(hour=hour).update(
            calls=F("calls") + calls, errors=F("errors") + errors
        )
        if updated:
            return
        try:
            with transaction.atomic():
                cls.objects.create(hour=hour, calls=calls, errors=errors)
        except IntegrityError:  # another worker created the row first
            cls.objects.filter(hour=hour).update(
                calls=F("calls") + calls, errors=F("errors") + errors
            )

    @classmethod
    def calls_in_last_24h(cls, *, now: datetime | None = None) -> int:
        since = _hour_of(now or timezone.now()) - timedelta(hours=23)
        return cls.objects.filter(hour__gte=since).aggregate(total=Sum("calls"))["total"] or 0
