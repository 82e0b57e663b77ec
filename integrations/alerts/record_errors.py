"""Counting the new record errors of sync runs, for the errors spike alert.

Failed records are tried again every run, so a record that fails for good shows the same
error in every run. An error is new when the record's previous attempt in that direction (its
newest event from an earlier run) did not fail with the same error code: a first failure, a
failure after a success, or a failure with another code.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from integrations.choices import EventStatus
from integrations.models import SyncRun
from tracking.models import SyncEvent


def new_error_counts(*, runs: Sequence[SyncRun], above: int) -> dict[str, int]:
    """The error codes with more than `above` new record errors in `runs`, and how many
    (one query; the previous attempt is read through the record's history index)."""
    previous = (
        SyncEvent.objects.filter(
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            direction=OuterRef("direction"),
            created_at__lt=OuterRef("created_at"),
        )
        .exclude(run=OuterRef("run"))
        .order_by("-created_at", "-pk")
    )
    counts = (
        SyncEvent.objects.filter(run__in=runs, status=EventStatus.ERROR)
        .annotate(
            previous_status=_first(previous, "status"),
            previous_code=_first(previous, "error_code"),
        )
        .exclude(previous_status=EventStatus.ERROR, previous_code=F("error_code"))
        .values("error_code")
        .annotate(count=Count("pk"))
        .filter(count__gt=above)
        .order_by("error_code")
    )
    return {row["error_code"]: row["count"] for row in counts}


def _first(events, column: str) -> Coalesce:
    """The column of the first of `events`, "" when there is none (so comparisons never meet
    NULL)."""
    return Coalesce(Subquery(events.values(column)[:1]), Value(""))
