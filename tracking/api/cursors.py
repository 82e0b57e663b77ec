"""Keyset paging for the read API: pages ordered by (updated_at, id), cursors that name a row.

A cursor is the (updated_at, id) of a page's last record; the next page starts right after
it. Unlike an offset, it skips nothing when records are written meanwhile: a record written
during paging moves behind the cursor and comes again on a later page (at least once), the
others keep their place. The cursor is opaque to clients (base64url JSON); anything that is
not one of ours is a 400 naming `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime

from tracking.api.read_params import QueryError

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page:
    records: list[Model]
    next_cursor: str | None


def page_after(queryset: QuerySet, *, cursor: str | None, limit: int) -> Page:
    """Up to `limit` records after the cursor, in (updated_at, id) order: one query."""
    if cursor:
        updated_at, pk = cursor_decode(cursor)
        queryset = queryset.filter(
            Q(updated_at__gt=updated_at) | Q(updated_at=updated_at, pk__gt=pk),
            updated_at__gte=updated_at,  # lets the database range-scan the updated_at index
        )
    rows = list(queryset.order_by("updated_at", "pk")[: limit + 1])
    records = rows[:limit]
    more = len(rows) > limit
    return Page(records=records, next_cursor=cursor_encode(records[-1]) if more else None)


def cursor_encode(record: Model) -> str:
    data = json.dumps([record.updated_at.isoformat(), record.pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated_at, pk = json.loads(raw)
        when = parse_datetime(updated_at)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        when, pk = None, None
    if when is None or when.tzinfo is None or type(pk) is not int or pk < 0:
        raise QueryError("cursor", "not a cursor of this API: pass `next_cursor` as it came")
    return when, pk
