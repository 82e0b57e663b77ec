"""How the console's lists show values: durations, times with their zone, short texts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import format_html


def duration_text(value: timedelta | None) -> str:
    """ "0.3 s", "2 min 5 s", "3 h 1 min"; "—" when unknown."""
    if value is None:
        return "—"
    seconds = value.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def time_text(value: datetime | None) -> str:
    """A time in the site's zone, with the zone's name: "2026-12-01 13:57:03 UTC"."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S %Z")


def short_text(text: str, *, limit: int = 90) -> str:
    """At most `limit` characters in the list; the whole text on hover."""
    if len(text) <= limit:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: limit - 1].rstrip())
