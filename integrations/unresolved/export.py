"""The unresolved activities report as CSV rows.

Names and subjects come from the host product, so a cell that a spreadsheet would run as a
formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
leading apostrophe, as OWASP recommends against CSV injection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from integrations.unresolved.items import UnresolvedItem

HEADER = [
    "Kind", "Email", "Name", "Company or account", "What", "Owner",
    "Unresolved since (UTC)", "Occurred (UTC)", "History",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """`value`, with an apostrophe before it when a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def csv_rows(
    items: Iterable[UnresolvedItem], *, absolute_url: Callable[[str], str]
) -> Iterator[list[str]]:
    """The header, then one row per item; `absolute_url` makes the history link absolute."""
    yield HEADER
    for item in items:
        texts = [item.kind, item.email, item.name, item.company, item.what, item.owner_label]
        yield [
            *(spreadsheet_safe(text) for text in texts),
            _when(item.unresolved_since),
            _when(item.occurred_at),
            absolute_url(item.history_url),
        ]
