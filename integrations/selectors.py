"""Reads for the integration's pages (no writes here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from integrations.models import ApiUsageHour


@dataclass(frozen=True)
class UsageBar:
    hour: datetime
    calls: int
    errors: int
    percent: float  # of the busiest hour, for drawing


def api_usage_by_hour(*, hours: int = 24, now: datetime | None = None) -> list[UsageBar]:
    """This app's API calls for each of the last `hours` hours, oldest first, gaps as 0."""
    end = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=hours - 1)
    rows = {row.hour: row for row in ApiUsageHour.objects.filter(hour__gte=start, hour__lte=end)}
    counts = []
    for offset in range(hours):
        hour = start + timedelta(hours=offset)
        row = rows.get(hour)
        counts.append((hour, row.calls if row else 0, row.errors if row else 0))
    busiest = max((calls for _, calls, _ in counts), default=0) or 1
    return [
        UsageBar(hour=hour, calls=calls, errors=errors, percent=round(100 * calls / busiest, 1))
        for hour, calls, errors in counts
    ]
